/* rledeflate.c: runs to deflate blocks with dynamic Huffman codes (RFC 1951), in a zlib
 * wrapper (RFC 1950). */
#include "config.h"

#include "rledeflate.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Symbols per block: enough for the code tables' cost to vanish, small enough that memory
 * stays bounded for any image. */
#define BLOCK_SYMBOLS 32768
#define ADLER_MOD 65521u
#define MAX_MATCH 258
/* Runs are coded in pieces of at most this many bytes, so that the checksum arithmetic of
 * one piece fits in 64 bits. */
#define RUN_PIECE (1u << 30)

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43,
	51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4,
	4, 4, 5, 5, 5, 5, 0 };
static const uint8_t cl_order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* Callers reserve the room first (write_block does, for its worst case), so the hot path
 * is a store and no call. */
static void put_bits(struct rledeflate *z, uint32_t v, unsigned n)
{
	z->bits |= (uint64_t)v << z->nbits;
	z->nbits += n;
	if (z->nbits >= 32) {
		uint8_t *o = (uint8_t *)z->out->data + z->out->len;

		o[0] = (uint8_t)z->bits;
		o[1] = (uint8_t)(z->bits >> 8);
		o[2] = (uint8_t)(z->bits >> 16);
		o[3] = (uint8_t)(z->bits >> 24);
		z->out->len += 4;
		z->bits >>= 32;
		z->nbits -= 32;
	}
}

static void flush_bytes(struct rledeflate *z)
{
	sbuf_reserve(z->out, 8);
	while (z->nbits > 0) {
		z->out->data[z->out->len++] = (char)(uint8_t)z->bits;
		z->bits >>= 8;
		z->nbits = z->nbits > 8 ? z->nbits - 8 : 0;
	}
	z->out->data[z->out->len] = '\0';
	z->bits = 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Huffman code lengths for n symbols (at most 286), none longer than maxlen; symbols of
 * count 0 get 0. The code is always complete: inflate refuses an incomplete code-length
 * code, so a lone symbol gets a partner. */
static void huff_lengths(const uint32_t *freq, int n, unsigned maxlen, uint8_t *len)
{
	uint64_t key[286];
	uint32_t weight[2 * 286];
	uint16_t parent[2 * 286], depth[2 * 286];
	unsigned count[16] = { 0 }, total = 0;
	int nz = 0, i, leaf, inner, next, l, j;

	for (i = 0; i < n; i++) {
		len[i] = 0;
		if (freq[i])
			key[nz++] = (uint64_t)freq[i] << 16 | (unsigned)i;
	}
	if (nz == 0)
		return;
	if (nz == 1) {
		i = (int)(key[0] & 0xffff);
		len[i] = 1;
		len[i == 0 ? 1 : 0] = 1;
		return;
	}
	/* Leaves by ascending count; inner nodes come out in ascending order too, so two queues
	 * give the tree without a heap. */
	qsort(key, (size_t)nz, sizeof(key[0]), cmp_u64);
	for (i = 0; i < nz; i++)
		weight[i] = (uint32_t)(key[i] >> 16);
	leaf = 0;
	inner = nz;
	for (next = nz; next < 2 * nz - 1; next++) {
		int pick[2], k;

		for (k = 0; k < 2; k++) {
			if (leaf < nz && (inner >= next || weight[leaf] <= weight[inner]))
				pick[k] = leaf++;
			else
				pick[k] = inner++;
		}
		weight[next] = weight[pick[0]] + weight[pick[1]];
		parent[pick[0]] = parent[pick[1]] = (uint16_t)next;
	}
	depth[2 * nz - 2] = 0;
	for (i = 2 * nz - 3; i >= 0; i--)
		depth[i] = (uint16_t)(depth[parent[i]] + 1);
	for (i = 0; i < nz; i++)
		count[depth[i] < maxlen ? depth[i] : maxlen]++;
	/* Too-deep leaves were put at maxlen, which overfills the code: move leaves down from
	 * shorter lengths until it is exactly full again. */
	for (l = 1; l <= (int)maxlen; l++)
		total += count[l] << (maxlen - (unsigned)l);
	while (total != 1u << maxlen) {
		count[maxlen]--;
		for (l = (int)maxlen - 1; l > 0; l--)
			if (count[l]) {
				count[l]--;
				count[l + 1] += 2;
				break;
			}
		total--;
	}
	/* The rarest symbols get the longest codes. */
	j = 0;
	for (l = (int)maxlen; l > 0; l--)
		for (unsigned k = 0; k < count[l]; k++)
			len[key[j++] & 0xffff] = (uint8_t)l;
}

/* Canonical codes (RFC 1951 3.2.2), bit-reversed because deflate sends them from the top bit
 * while put_bits sends from the bottom. */
static void huff_codes(const uint8_t *len, int n, uint16_t *code)
{
	unsigned count[16] = { 0 }, next[16];
	unsigned c = 0;
	int i, l;

	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (l = 1; l < 16; l++) {
		c = (c + count[l - 1]) << 1;
		next[l] = c;
	}
	for (i = 0; i < n; i++) {
		unsigned v, r = 0;

		if (!len[i])
			continue;
		v = next[len[i]]++;
		for (l = 0; l < len[i]; l++)
			r |= ((v >> l) & 1u) << (len[i] - 1 - l);
		code[i] = (uint16_t)r;
	}
}

static void write_block(struct rledeflate *z, int last)
{
	uint8_t lens[286 + 2], cl_len[19];
	uint16_t codes[286], cl_code[19];
	uint32_t cl_freq[19] = { 0 };
	uint16_t cl_sym[286 + 2];
	uint8_t cl_arg[286 + 2];
	int nlit = 286, ncl = 0, nlens, hclen = 19, i, j;
	size_t s;

	z->freq[256] = 1; /* end of block */
	huff_lengths(z->freq, 286, 15, lens);
	while (nlit > 257 && lens[nlit - 1] == 0)
		nlit--;
	/* Every match is at distance 1: distance codes 0 and 1 of one bit each make a complete
	 * code, and only code 0 is sent. */
	lens[nlit] = 1;
	lens[nlit + 1] = 1;
	nlens = nlit + 2;
	/* The code lengths, run-length coded with symbols 16 (repeat), 17 and 18 (zeros). */
	for (i = 0; i < nlens; i = j) {
		int run;

		for (j = i + 1; j < nlens && lens[j] == lens[i]; j++)
			;
		run = j - i;
		if (lens[i] == 0) {
			while (run >= 11) {
				int k = run < 138 ? run : 138;

				cl_sym[ncl] = 18;
				cl_arg[ncl++] = (uint8_t)(k - 11);
				run -= k;
			}
			if (run >= 3) {
				cl_sym[ncl] = 17;
				cl_arg[ncl++] = (uint8_t)(run - 3);
				run = 0;
			}
		} else {
			cl_sym[ncl] = lens[i];
			cl_arg[ncl++] = 0;
			run--;
			while (run >= 3) {
				int k = run < 6 ? run : 6;

				cl_sym[ncl] = 16;
				cl_arg[ncl++] = (uint8_t)(k - 3);
				run -= k;
			}
		}
		while (run-- > 0) {
			cl_sym[ncl] = lens[i];
			cl_arg[ncl++] = 0;
		}
	}
	for (i = 0; i < ncl; i++)
		cl_freq[cl_sym[i]]++;
	huff_lengths(cl_freq, 19, 7, cl_len);
	huff_codes(cl_len, 19, cl_code);
	while (hclen > 4 && cl_len[cl_order[hclen - 1]] == 0)
		hclen--;
	huff_codes(lens, nlit, codes);

	/* At most 15 + 5 + 1 bits a symbol, and the tables' few hundred bytes. */
	sbuf_reserve(z->out, z->nsym * 3 + 1024);
	put_bits(z, last ? 1 : 0, 1);
	put_bits(z, 2, 2); /* dynamic Huffman */
	put_bits(z, (uint32_t)(nlit - 257), 5);
	put_bits(z, 1, 5); /* two distance codes */
	put_bits(z, (uint32_t)(hclen - 4), 4);
	for (i = 0; i < hclen; i++)
		put_bits(z, cl_len[cl_order[i]], 3);
	for (i = 0; i < ncl; i++) {
		put_bits(z, cl_code[cl_sym[i]], cl_len[cl_sym[i]]);
		if (cl_sym[i] == 16)
			put_bits(z, cl_arg[i], 2);
		else if (cl_sym[i] == 17)
			put_bits(z, cl_arg[i], 3);
		else if (cl_sym[i] == 18)
			put_bits(z, cl_arg[i], 7);
	}
	for (s = 0; s < z->nsym; s++) {
		unsigned v = z->sym[s];

		if (v < 256) {
			put_bits(z, codes[v], lens[v]);
		} else {
			unsigned len = v - 253;
			int k = z->len_code[len];

			put_bits(z, codes[257 + k], lens[257 + k]);
			if (len_extra[k])
				put_bits(z, len - len_base[k], len_extra[k]);
			put_bits(z, 0, 1); /* distance 1 */
		}
	}
	put_bits(z, codes[256], lens[256]);
	z->out->data[z->out->len] = '\0';
	z->nsym = 0;
	memset(z->freq, 0, sizeof(z->freq));
}

static void add_sym(struct rledeflate *z, unsigned v)
{
	if (z->nsym == BLOCK_SYMBOLS)
		write_block(z, 0);
	z->sym[z->nsym++] = (uint16_t)v;
	z->freq[v < 256 ? v : 257u + z->len_code[v - 253]]++;
}

/* A piece of a run: one literal, then distance-1 matches as Z_RLE would make them (one to
 * two bytes left over go as literals, as matches are at least 3 long). */
static void code_piece(struct rledeflate *z, uint8_t v, uint64_t n)
{
	uint64_t r = n - 1, t;

	add_sym(z, v);
	while (r >= 3) {
		/* Leave at least 3 for the next match rather than 1 or 2 literals. */
		uint64_t m = r <= MAX_MATCH ? r : r - MAX_MATCH < 3 ? r - 3 : MAX_MATCH;

		add_sym(z, (unsigned)m + 253);
		r -= m;
	}
	while (r-- > 0)
		add_sym(z, v);
	/* Adler-32 of n copies of v: a gains n*v, b gains n*a + v*n*(n+1)/2. */
	t = n * (n + 1) / 2 % ADLER_MOD;
	z->adler_b = (uint32_t)((z->adler_b + n % ADLER_MOD * z->adler_a + t * v) % ADLER_MOD);
	z->adler_a = (uint32_t)((z->adler_a + n % ADLER_MOD * v) % ADLER_MOD);
}

static void code_run(struct rledeflate *z)
{
	uint64_t n = z->run_len;

	while (n > 0) {
		uint64_t k = n < RUN_PIECE ? n : RUN_PIECE;

		code_piece(z, z->run_value, k);
		n -= k;
	}
	z->run_len = 0;
}

/* The first index from i on where p holds something other than v. */
static size_t run_end(const uint8_t *p, size_t i, size_t n, uint8_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
	uint64_t pattern = 0x0101010101010101ull * v;

	while (i + 8 <= n) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		w ^= pattern;
		if (w)
			return i + (size_t)(__builtin_ctzll(w) >> 3);
		i += 8;
	}
#endif
	while (i < n && p[i] == v)
		i++;
	return i;
}

void rledeflate_init(struct rledeflate *z, struct sbuf *out)
{
	static const uint8_t header[2] = { 0x78, 0x01 }; /* deflate, 32K window, fastest */

	memset(z, 0, sizeof(*z));
	z->out = out;
	z->adler_a = 1;
	for (unsigned k = 0, len = 3; len <= MAX_MATCH; len++) {
		/* 258 has a code of its own, although 284's range would reach it. */
		while (k < 28 && (len == MAX_MATCH || len >= len_base[k + 1]))
			k++;
		z->len_code[len] = (uint8_t)k;
	}
	z->sym = xreallocarray(NULL, BLOCK_SYMBOLS, sizeof(uint16_t));
	sbuf_add(out, header, 2);
}

void rledeflate_write(struct rledeflate *z, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t i = 0, j;

	while (i < n) {
		if (z->run_len == 0 || p[i] != z->run_value) {
			if (z->run_len)
				code_run(z);
			z->run_value = p[i];
		}
		j = run_end(p, i, n, z->run_value);
		z->run_len += j - i;
		i = j;
	}
}

void rledeflate_run(struct rledeflate *z, uint8_t v, size_t n)
{
	if (n == 0)
		return;
	if (z->run_len && v == z->run_value) {
		z->run_len += n;
		return;
	}
	if (z->run_len)
		code_run(z);
	z->run_value = v;
	z->run_len = n;
}

void rledeflate_finish(struct rledeflate *z)
{
	uint8_t b[4];

	if (z->run_len)
		code_run(z);
	write_block(z, 1);
	flush_bytes(z);
	b[0] = (uint8_t)(z->adler_b >> 8);
	b[1] = (uint8_t)z->adler_b;
	b[2] = (uint8_t)(z->adler_a >> 8);
	b[3] = (uint8_t)z->adler_a;
	sbuf_add(z->out, b, 4);
	rledeflate_free(z);
}

void rledeflate_free(struct rledeflate *z)
{
	free(z->sym);
	z->sym = NULL;
	z->nsym = 0;
}
