/* text.c: UTF-8 checks and the one quoting function (text_vis) that every message repeating
 * text from a file or a file name goes through. In the manner of tmux's utf8_stravis: the text
 * stays readable (accents, CJK, emoji are kept), only what a terminal would act on, or could
 * misread, is spelt out. */
#include "config.h"

#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The length of the UTF-8 sequence at s (n bytes left) with its code point in *cp, or 0 when
 * it is not UTF-8 (overlong forms and surrogates included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2)
		return 0;
	if (s[0] < 0xe0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] < 0xf5) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Besides C0, DEL and C1 (which a UTF-8 terminal obeys when they come encoded, as xterm does),
 * the line separators and bidirectional overrides would let a name rearrange what is shown
 * around it. */
static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

char *text_vis(char *dst, const char *s, size_t max, int flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	/* A character starting before max needs at most 3 bytes more to be decoded whole. */
	size_t n = strnlen(s, max + 4), o = 0, used = 0, len, i;
	int quote = flags & TEXT_VIS_QUOTE, bad;
	uint32_t c = 0;

	if (quote)
		dst[o++] = '"';
	while (n > used) {
		len = utf8_decode(p + used, n - used, &c);
		bad = len == 0 || is_control(c);
		if (len == 0)
			len = 1;
		if (used + len > max)
			break;
		if (bad) {
			for (i = 0; i < len; i++) {
				dst[o++] = '\\';
				dst[o++] = 'x';
				dst[o++] = hex[p[used + i] >> 4];
				dst[o++] = hex[p[used + i] & 0xf];
			}
		} else if (quote && (c == '"' || c == '\\')) {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else {
			memcpy(dst + o, p + used, len);
			o += len;
		}
		used += len;
	}
	if (n > used) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	if (quote)
		dst[o++] = '"';
	dst[o] = '\0';
	return dst;
}

const char *text_quote(char buf[TEXT_QUOTE_BUF], const char *s)
{
	return text_vis(buf, s, TEXT_QUOTE_MAX, TEXT_VIS_QUOTE);
}

char *text_message(const char *msg)
{
	size_t n;
	char *out;

	if (!msg)
		return NULL;
	n = strnlen(msg, TEXT_MESSAGE_MAX);
	out = text_vis(xmalloc(TEXT_VIS_SIZE(n)), msg, n, 0);
	/* Warnings are kept in lists: give back the room kept for escapes that did not come. */
	return xreallocarray(out, strlen(out) + 1, 1);
}

char *text_printf(const char *fmt, ...)
{
	va_list ap;
	char *raw, *out;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		return text_message(fmt);
	out = text_message(raw);
	free(raw);
	return out;
}

const char *text_problem(const char *s, size_t max, char buf[TEXT_PROBLEM_BUF])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	uint32_t c;

	if (n == 0)
		return "is empty";
	if (n > max) {
		snprintf(buf, TEXT_PROBLEM_BUF, "is longer than %zu bytes", max);
		return buf;
	}
	while (n > 0) {
		len = utf8_decode(p, n, &c);
		if (len == 0)
			return "is not UTF-8 text";
		if (is_control(c))
			return "has a control character";
		p += len;
		n -= len;
	}
	return NULL;
}
