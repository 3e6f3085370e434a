/* kgp.c: kitty graphics commands as bytes, and the arithmetic of placing a view in cells. */
#include "config.h"

#include "kgp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "err.h"
#include "xalloc.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of n bytes into dst (4 * ceil(n / 3) bytes). */
static void base64(const uint8_t *s, size_t n, char *dst)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];

		*dst++ = b64[v >> 18];
		*dst++ = b64[(v >> 12) & 63];
		*dst++ = b64[(v >> 6) & 63];
		*dst++ = b64[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);

		*dst++ = b64[v >> 18];
		*dst++ = b64[(v >> 12) & 63];
		*dst++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*dst++ = '=';
	}
}

long kgp_transmit(struct sbuf *out, uint32_t id, const uint8_t *px, int w, int h, int bpp, size_t stride,
    const char *extra, char **cause)
{
	size_t row = (size_t)w * (size_t)bpp, raw_len, zlen, blen, off, start = out->len;
	uint8_t *raw = NULL, *z = NULL;
	char *b = NULL;
	uLongf zcap;
	long r = -1;
	int y;

	if (w < 1 || h < 1 || w > KGP_MAX_SIDE || h > KGP_MAX_SIDE || (bpp != 3 && bpp != 4))
		return err_set(cause, "kitty image: %dx%d pixels of %d bytes", w, h, bpp);
	raw_len = row * (size_t)h;
	raw = xmalloc(raw_len);
	for (y = 0; y < h; y++)
		memcpy(raw + (size_t)y * row, px + (size_t)y * stride, row);
	zcap = compressBound((uLong)raw_len);
	z = xmalloc(zcap);
	/* Level 3: most of level 6's ratio on photos at a fraction of its time. */
	if (compress2(z, &zcap, raw, (uLong)raw_len, 3) != Z_OK) {
		err_set(cause, "kitty image: zlib could not compress %zu bytes", raw_len);
		goto out;
	}
	zlen = zcap;
	blen = 4 * ((zlen + 2) / 3);
	b = xmalloc(blen);
	base64(z, zlen, b);
	for (off = 0; off < blen; off += KGP_CHUNK) {
		size_t n = blen - off < KGP_CHUNK ? blen - off : KGP_CHUNK;
		int more = off + n < blen;

		sbuf_adds(out, "\033_G");
		if (off == 0) {
			sbuf_adds(out, extra ? extra : "a=t");
			sbuf_printf(out, ",f=%d,s=%d,v=%d,i=%u,o=z,q=2", bpp * 8, w, h, (unsigned)id);
			if (more)
				sbuf_adds(out, ",m=1");
		} else {
			sbuf_adds(out, more ? "m=1" : "m=0");
		}
		sbuf_addc(out, ';');
		sbuf_add(out, b + off, n);
		sbuf_adds(out, "\033\\");
	}
	r = (long)(out->len - start);
out:
	free(raw);
	free(z);
	free(b);
	return r;
}

void kgp_put(struct sbuf *out, const struct kgp_place *p)
{
	sbuf_printf(out, "\033[%d;%dH\033_Ga=p,i=%u,p=%u", p->row + 1, p->col + 1, (unsigned)p->id, (unsigned)p->pid);
	/* Zeros are the protocol's defaults: left out, a placement costs fewer bytes. */
	if (p->x)
		sbuf_printf(out, ",x=%d", p->x);
	if (p->y)
		sbuf_printf(out, ",y=%d", p->y);
	if (p->w)
		sbuf_printf(out, ",w=%d", p->w);
	if (p->h)
		sbuf_printf(out, ",h=%d", p->h);
	if (p->X)
		sbuf_printf(out, ",X=%d", p->X);
	if (p->Y)
		sbuf_printf(out, ",Y=%d", p->Y);
	if (p->c)
		sbuf_printf(out, ",c=%d", p->c);
	if (p->r)
		sbuf_printf(out, ",r=%d", p->r);
	if (p->z)
		sbuf_printf(out, ",z=%d", p->z);
	sbuf_adds(out, ",C=1,q=2\033\\");
}

void kgp_delete(struct sbuf *out, uint32_t id, uint32_t pid, int free_data)
{
	sbuf_printf(out, "\033_Ga=d,d=%c,i=%u", free_data ? 'I' : 'i', (unsigned)id);
	if (pid)
		sbuf_printf(out, ",p=%u", (unsigned)pid);
	sbuf_adds(out, ",q=2\033\\");
}

/* ---- placing a view ------------------------------------------------------------------ */

#define EPS 1e-6

int kgp_axis(double o, double z, int n, double a, double b, int cell, struct kgp_seg seg[3])
{
	double lo, hi, best = 1e30;
	int m0, mend = -1, q = 0, P, k, kb, ns = 0, sa, end_cell;

	if (z <= 0 || cell < 1 || n < 1)
		return 0;
	/* Only where the source is. */
	a = fmax(a, -o * z);
	b = fmin(b, (n - o) * z);
	lo = o + a / z;
	hi = o + b / z;
	sa = (int)ceil(a - 0.5 - EPS);
	if (sa < 0)
		sa = 0;
	if (lo < 0)
		lo = 0;
	if (hi > n)
		hi = n;
	if (z <= 0 || cell < 1 || hi - lo < EPS || b <= a)
		return 0;
	/* The screen's end of the source, on the cell boundary at or after it. */
	end_cell = (int)ceil((hi - o) * z / cell - EPS) * cell;
	/* The main stretch starts at the first whole source pixel, exactly where it belongs. */
	m0 = (int)ceil(lo - EPS);
	/* The screen's pixel x shows the source pixel under its centre, floor(o + (x + 0.5) / z)
	 * (view_render's rule): source pixel u first shows at x = ceil((u - o) z - 0.5). */
	P = (int)ceil((m0 - o) * z - 0.5 - EPS);
	if (P < sa)
		P = sa;
	/* ... and ends on the cell boundary, among the last few before b, where a source pixel
	 * boundary falls nearest: there the scale is the view's to a fraction of a pixel. */
	kb = (int)floor((hi - o) * z / cell + EPS);
	/* Where the source ends mid-cell, the tail is stretched over the rest of its last cell:
	 * it is kept to a few cells, so that stretch shows near the edge only. */
	for (k = kb; k >= kb - (end_cell > (hi - o) * z + EPS ? 2 : 8); k--) {
		/* The pixel the truth shows at the boundary starts the tail; err: how far before
		 * the boundary the truth starts it, the main stretch's stretch. */
		long r0 = (long)floor(o + ((double)k * cell + 0.5) / z + EPS), r;

		/* Or the next one, squeezed in: whichever drifts less. */
		for (r = r0; r <= r0 + 1; r++) {
			double err;

			if ((double)k * cell <= P || r <= m0 || r > n)
				continue;
			err = fabs(k * cell - ceil((r - o) * z - 0.5 - EPS));
			/* The largest k wins a tie: the tail stays short. */
			if (err < best - EPS) {
				best = err;
				mend = (int)r;
				q = k * cell;
			}
		}
	}
	if (mend < 0) {
		/* Less than a cell of it: one stretch over the cells it touches. */
		seg[0].src0 = (int)floor(lo + EPS);
		seg[0].src1 = (int)ceil(hi - EPS);
		if (seg[0].src1 <= seg[0].src0)
			seg[0].src1 = seg[0].src0 + 1;
		if (seg[0].src1 > n)
			seg[0].src1 = n;
		seg[0].scr0 = sa;
		seg[0].scr1 = end_cell > sa ? end_cell : (sa / cell + 1) * cell;
		seg[0].main = 1;
		return seg[0].src1 > seg[0].src0 ? 1 : 0;
	}
	/* A head: the part of a pixel before the main stretch, squeezed into the cells up to the
	 * first boundary after the main stretch's start (the main one covers the overlap). */
	if (m0 > lo + EPS && P > sa) {
		int c = (sa / cell + 1) * cell;

		if (c < P)
			c = (int)ceil((double)P / cell) * cell;
		seg[ns].src0 = (int)floor(lo + EPS);
		seg[ns].src1 = (int)lround(o + c / z);
		if (seg[ns].src1 <= seg[ns].src0)
			seg[ns].src1 = seg[ns].src0 + 1;
		if (seg[ns].src1 > n)
			seg[ns].src1 = n;
		seg[ns].scr0 = sa;
		seg[ns].scr1 = c;
		seg[ns].main = 0;
		ns++;
	}
	{
		seg[ns].src0 = m0;
		seg[ns].src1 = mend;
		seg[ns].scr0 = P;
		seg[ns].scr1 = q;
		seg[ns].main = 1;
		ns++;
		/* A tail: the source after the main stretch, over the cells up to b's boundary. */
		if (mend < hi - EPS && end_cell > q) {
			seg[ns].src0 = mend;
			seg[ns].src1 = (int)ceil(hi - EPS);
			if (seg[ns].src1 > n)
				seg[ns].src1 = n;
			seg[ns].scr0 = q;
			seg[ns].scr1 = end_cell;
			seg[ns].main = 0;
			if (seg[ns].src1 > seg[ns].src0)
				ns++;
		}
	}
	return ns;
}

void kgp_place_of(const struct kgp_seg *sx, const struct kgp_seg *sy, int cell_w, int cell_h, int zbase,
    struct kgp_place *p)
{
	memset(p, 0, sizeof(*p));
	p->x = sx->src0;
	p->y = sy->src0;
	p->w = sx->src1 - sx->src0;
	p->h = sy->src1 - sy->src0;
	p->col = sx->scr0 / cell_w;
	p->X = sx->scr0 % cell_w;
	p->row = sy->scr0 / cell_h;
	p->Y = sy->scr0 % cell_h;
	p->c = (sx->scr1 - p->col * cell_w + cell_w - 1) / cell_w;
	p->r = (sy->scr1 - p->row * cell_h + cell_h - 1) / cell_h;
	p->z = zbase + sx->main + sy->main;
}
