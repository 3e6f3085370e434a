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

/* The first screen pixel that shows source pixel u: x shows floor(o + (x + 0.5) / z), the
 * pixel under its centre (view_render's rule). */
static int first_x(double o, double z, double u) { return (int)ceil((u - o) * z - 0.5 - EPS); }

int kgp_axis(double o, double z, int n, int pad, double a, double b, int cell, struct kgp_seg seg[KGP_MAX_SEG])
{
	double lo, hi;
	int src, P, kb, ns = 0, sa, end_cell;

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
	if (hi - lo < EPS || b <= a)
		return 0;
	/* Where the source ends inside a cell, the pixels after it (padding: what lies beyond,
	 * or the background) fill that cell at the same scale. */
	if (pad > 0) {
		double e = ceil(b / cell - EPS) * cell;

		if (e > b + EPS && (e - b) / z <= pad) {
			b = e;
			n += pad;
			hi = o + b / z;
		}
	}
	end_cell = (int)ceil(b / cell - EPS) * cell;
	kb = (int)floor(b / cell + EPS);
	/* The first whole source pixel, where the truth puts it. */
	src = (int)ceil(lo - EPS);
	P = first_x(o, z, src);
	if (P < sa)
		P = sa;
	/* A head: the part of a pixel before it, squeezed into the cells up to the first
	 * boundary after P (the stretch after it, above it, covers the overlap). */
	if (src > lo + EPS && P > sa) {
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
	/* Stretches from an exact start to the cell boundary where a source pixel starts
	 * nearest to it (the least stretch), each the next one's start at the pixel the truth
	 * shows at that boundary, above it: the error stays within a pixel, not a drift. */
	while (ns < KGP_MAX_SEG - 1 && src < hi - EPS) {
		int k, best_err = 1 << 30, best_k = -1, best_r = 0, next;

		for (k = kb; (double)k * cell > P; k--) {
			long r0 = (long)floor(o + ((double)k * cell + 0.5) / z + EPS), r;

			for (r = r0; r <= r0 + 1; r++) {
				int err;

				if (r <= src || r > n)
					continue;
				err = abs(k * cell - first_x(o, z, (double)r));
				if (err < best_err) {
					best_err = err;
					best_k = k;
					best_r = (int)r;
				}
			}
			if (best_err == 0)
				break;
		}
		if (best_k < 0)
			break;
		seg[ns].src0 = src;
		seg[ns].src1 = best_r;
		seg[ns].scr0 = P;
		seg[ns].scr1 = best_k * cell;
		seg[ns].main = 1;
		ns++;
		if (best_r >= hi - EPS)
			return ns;
		/* The pixel the truth shows at the boundary starts the next stretch, at or before
		 * it: no gap. */
		next = (int)floor(o + ((double)best_k * cell + 0.5) / z + EPS);
		if (next >= n)
			return ns;
		src = next;
		P = first_x(o, z, src);
		if (P < sa)
			P = sa;
	}
	/* The rest: from its exact start over the cells up to b's boundary (stretched by what
	 * the source's end leaves of its last cell). */
	if (src < hi - EPS && end_cell > P) {
		seg[ns].src0 = src;
		seg[ns].src1 = (int)ceil(hi - EPS);
		if (seg[ns].src1 > n)
			seg[ns].src1 = n;
		if (seg[ns].src1 <= seg[ns].src0)
			return ns;
		seg[ns].scr0 = P;
		seg[ns].scr1 = end_cell;
		seg[ns].main = 0;
		ns++;
	}
	return ns;
}

void kgp_place_of(const struct kgp_seg *sx, int ix, const struct kgp_seg *sy, int iy, int cell_w, int cell_h,
    int zbase, struct kgp_place *p)
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
	p->z = zbase + ix + iy;
}
