/* test_text.c: the one quoting function and the name checks: control characters (C0, ESC, DEL,
 * C1 raw and encoded, bidirectional overrides) and invalid UTF-8 become visible escapes,
 * printable UTF-8 stays, long input is bounded and never cut inside a character, and random
 * bytes never overrun the buffer nor leave anything a terminal would act on. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap.h"
#include "text.h"
#include "xalloc.h"

static void vis_is(const char *in, size_t max, int flags, const char *want, const char *what)
{
	char *buf = xmalloc(TEXT_VIS_SIZE(max));

	text_vis(buf, in, max, flags);
	tap_ok(!strcmp(buf, want), "%s: %s", what, buf);
	free(buf);
}

static void bare_is(const char *in, const char *want, const char *what)
{
	vis_is(in, 1000, 0, want, what);
}

static void quote_is(const char *in, const char *want, const char *what)
{
	char q[TEXT_QUOTE_BUF];

	tap_ok(!strcmp(text_quote(q, in), want), "%s: %s", what, q);
}

/* Valid UTF-8 with no C0, DEL, C1, line separator or bidirectional control in it. */
static int clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	int more;

	while (*s) {
		if (*s < 0x20 || *s == 0x7f || (*s >= 0x80 && *s < 0xc2) || *s >= 0xf5)
			return 0;
		more = *s < 0x80 ? 0 : *s < 0xe0 ? 1 : *s < 0xf0 ? 2 : 3;
		c = *s & (more ? 0x3f >> more : 0x7f);
		for (s++; more > 0; more--, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (*s & 0x3f);
		}
		if ((c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) || (c >= 0xd800 && c <= 0xdfff))
			return 0;
	}
	return 1;
}

static void controls(void)
{
	bare_is("cat.png", "cat.png", "plain ASCII is kept");
	bare_is("\x1b]0;owned\x07", "\\x1b]0;owned\\x07", "ESC and BEL (an OSC title) are spelt out");
	bare_is("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd", "tab, newline and carriage return too");
	bare_is("del\x7f", "del\\x7f", "DEL");
	bare_is("\x01\x1f", "\\x01\\x1f", "the ends of C0");
	bare_is("csi\xc2\x9b" "31m", "csi\\xc2\\x9b31m", "C1 CSI encoded in UTF-8 (xterm obeys it)");
	bare_is("\xc2\x80\xc2\x9f\xc2\xa0", "\\xc2\\x80\\xc2\\x9f\xc2\xa0", "C1 is U+0080..U+009F, U+00A0 is text");
	bare_is("raw\x9b" "31m", "raw\\x9b31m", "a raw C1 byte (not UTF-8)");
	bare_is("r\xe2\x80\xae" "evil", "r\\xe2\\x80\\xaeevil", "a right-to-left override");
	bare_is("a\xe2\x80\xa8" "b\xe2\x81\xa6", "a\\xe2\\x80\\xa8b\\xe2\\x81\\xa6",
	    "a line separator and an isolate");
}

static void invalid(void)
{
	bare_is("caf\xe9", "caf\\xe9", "Latin-1 (not UTF-8)");
	bare_is("\xff\xfe", "\\xff\\xfe", "bytes never in UTF-8");
	bare_is("\xc0\xaf", "\\xc0\\xaf", "an overlong '/'");
	bare_is("\xed\xa0\x80", "\\xed\\xa0\\x80", "a surrogate");
	bare_is("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "past U+10FFFF");
	bare_is("x\xe2\x82", "x\\xe2\\x82", "a sequence cut short at the end");
	bare_is("\xe2\x82x", "\\xe2\\x82x", "a sequence cut short by ASCII");
	bare_is("\x80z", "\\x80z", "a lone continuation byte");
}

static void printable(void)
{
	bare_is("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x88",
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x88", "accents, CJK and emoji are kept");
	bare_is("a \"b\" \\c", "a \"b\" \\c", "bare: quotes and backslashes stay");
	quote_is("car", "\"car\"", "quoted: in double quotes");
	quote_is("a \"b\" \\c", "\"a \\\"b\\\" \\\\c\"", "quoted: quotes and backslashes escaped");
	quote_is("", "\"\"", "quoted: the empty string");
	quote_is("\x1b[2J", "\"\\x1b[2J\"", "quoted: ESC spelt out");
}

static void bounds(void)
{
	char *big, *out, q[TEXT_QUOTE_BUF];
	size_t n = 1 << 20;

	vis_is("abcdef", 4, 0, "abcd...", "cut after max bytes, marked");
	vis_is("abcd", 4, 0, "abcd", "exactly max bytes: no mark");
	vis_is("abc\xc3\xa9", 4, 0, "abc...", "never half a character");
	vis_is("ab\xf0\x9f\x90\x88", 5, TEXT_VIS_QUOTE, "\"ab...\"", "nor half an emoji, in quotes");
	vis_is("\x1b\x1b\x1b", 2, TEXT_VIS_QUOTE, "\"\\x1b\\x1b...\"", "escapes count input bytes");

	big = xmalloc(n + 1);
	memset(big, '\x1b', n);
	big[n] = '\0';
	text_quote(q, big);
	tap_ok(strlen(q) == 4 * TEXT_QUOTE_MAX + 5 && !strcmp(q + strlen(q) - 4, "...\"") && clean(q),
	    "a megabyte of ESC quoted: %zu bytes, all escapes", strlen(q));
	out = text_message(big);
	tap_ok(out && strlen(out) == 4 * TEXT_MESSAGE_MAX + 3 && !strcmp(out + strlen(out) - 3, "...") &&
	    clean(out), "as a message: cut at %d bytes of input (%zu out)", TEXT_MESSAGE_MAX,
	    out ? strlen(out) : 0);
	free(out);
	memset(big, 'a', n);
	out = text_message(big);
	tap_ok(out && strlen(out) == TEXT_MESSAGE_MAX + 3, "a long clean message is cut too (%zu)",
	    out ? strlen(out) : 0);
	free(out);
	free(big);
	tap_ok(text_message(NULL) == NULL, "no message, no message");
}

/* Random bytes (biased towards the interesting ones): the buffer is never overrun, the output
 * is clean, and passing it through again changes nothing. */
static void random_bytes(void)
{
	static const unsigned char pick[] = { 0x1b, 0x07, 0x9b, 0xc2, 0xe2, 0x80, 0xae, 0xf0, 0x9f, 0xff,
		'"', '\\', 'a', ' ', 0x7f, 0xc3, 0xa9, 0xed, 0xa0 };
	uint32_t seed = 12345;
	int t, bad = 0, unstable = 0, overrun = 0;

	for (t = 0; t < 20000; t++) {
		char in[64], *buf, *again;
		size_t len, max, i, size;
		int flags = t & 1;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % 40;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (char)((seed >> 20) & 1 ? pick[(seed >> 8) % sizeof(pick)] : (seed >> 8) % 255 + 1);
		}
		in[len] = '\0';
		max = (seed >> 4) % 48;
		size = TEXT_VIS_SIZE(max);
		buf = xmalloc(size + 8);
		memset(buf, 0x5a, size + 8);
		text_vis(buf, in, max, flags);
		for (i = size; i < size + 8; i++)
			overrun += (unsigned char)buf[i] != 0x5a;
		bad += !clean(buf);
		again = text_message(buf);
		unstable += strcmp(again, buf) != 0;
		free(again);
		free(buf);
	}
	tap_ok(!overrun, "20000 random strings: no byte written past TEXT_VIS_SIZE(max) (%d)", overrun);
	tap_ok(!bad, "nothing a terminal acts on comes out (%d)", bad);
	tap_ok(!unstable, "a message passed through again is unchanged (%d)", unstable);
}

static void messages(void)
{
	char *m, *cause = NULL, q[TEXT_QUOTE_BUF];

	m = text_printf("%s: unknown field %s", "x\x1b.json", text_quote(q, "k\x07"));
	tap_ok(m && !strcmp(m, "x\\x1b.json: unknown field \"k\\x07\""), "text_printf: %s", m);
	free(m);
	err_set(&cause, "%s: not an image", "cat\x1b]0;t\x07.png");
	tap_ok(cause && !strcmp(cause, "cat\\x1b]0;t\\x07.png: not an image"),
	    "err_set makes the whole cause visible: %s", cause);
	free(cause);
}

static void problems(void)
{
	char why[TEXT_PROBLEM_BUF];

	tap_ok(!text_problem("traffic light", 64, why) && !text_problem("caf\xc3\xa9", 64, why),
	    "good names have no problem");
	tap_ok(!strcmp(text_problem("", 64, why), "is empty"), "empty");
	tap_ok(!strcmp(text_problem("abcde", 4, why), "is longer than 4 bytes"), "too long");
	tap_ok(!strcmp(text_problem("caf\xe9", 64, why), "is not UTF-8 text"), "not UTF-8");
	tap_ok(!strcmp(text_problem("a\x1b[m", 64, why), "has a control character") &&
	    !strcmp(text_problem("a\xc2\x9b", 64, why), "has a control character") &&
	    !strcmp(text_problem("a\xe2\x80\xae", 64, why), "has a control character"),
	    "ESC, C1 and a bidirectional override are control characters");
}

int main(void)
{
	controls();
	invalid();
	printable();
	bounds();
	random_bytes();
	messages();
	problems();
	return tap_done();
}
