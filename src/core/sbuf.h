/* sbuf.h: a growable byte buffer, for building output (escape sequences, JSON) before one write. */
#ifndef PXL_SBUF_H
#define PXL_SBUF_H

#include <stddef.h>

struct sbuf {
	char *data; /* owned; NUL-terminated when len < cap */
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reserve(struct sbuf *b, size_t extra);
void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addu(struct sbuf *b, unsigned v);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
