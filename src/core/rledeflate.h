/* rledeflate.h: a zlib stream (RFC 1950/1951) made of runs, for the PNG masks pxlabel writes.
 * Masks are long runs of one value, and the only matches worth having there are distance 1:
 * the same symbols zlib's Z_RLE strategy chooses, found a machine word at a time and with the
 * checksum computed per run, so writing a mask costs a fraction of what deflate() does for
 * the same bytes. Dynamic Huffman codes keep the files as small as Z_RLE's. */
#ifndef PXL_RLEDEFLATE_H
#define PXL_RLEDEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

struct rledeflate {
	struct sbuf *out;        /* borrowed: the stream is appended here */
	uint64_t bits;           /* pending output bits, least significant first */
	unsigned nbits;
	uint32_t adler_a, adler_b;
	uint8_t run_value;       /* the run not yet coded */
	uint64_t run_len;
	uint16_t *sym;           /* owned: the block's symbols, < 256 literal, else length + 253 */
	size_t nsym;
	uint32_t freq[286];      /* literal/length symbol counts of the block */
	uint8_t len_code[259];   /* match length -> length code - 257 */
};

/* Starts a stream (its 2-byte header goes into out at once). */
void rledeflate_init(struct rledeflate *z, struct sbuf *out);
/* Adds n bytes; out grows only as blocks fill, so it can be drained between calls. */
void rledeflate_write(struct rledeflate *z, const void *p, size_t n);
/* Adds n copies of v (the same bytes as rledeflate_write of them, without the scan). */
void rledeflate_run(struct rledeflate *z, uint8_t v, size_t n);
/* Ends the stream (last block, checksum) and frees z's memory. */
void rledeflate_finish(struct rledeflate *z);
/* Frees z's memory without ending the stream (on an error). */
void rledeflate_free(struct rledeflate *z);

#endif
