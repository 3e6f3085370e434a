/* fuzz_tquery.c: libFuzzer target for the terminal-reply parser. The input is fed whole and
 * again in pieces whose sizes come from the input itself; both must agree (the parser may not
 * depend on where the reads split), consume the same bytes, and stay within bounds.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc/core -I. fuzz/fuzz_tquery.c src/core/tquery.c */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tquery.h"

/* Terminal replies are short; longer inputs only slow the search down. */
#define MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tquery_parser whole, pieces;
	size_t used_whole, used_pieces = 0, off = 0, step = 1;
	int w, h;

	if (size > MAX_INPUT)
		return 0;
	tquery_init(&whole);
	used_whole = tquery_feed(&whole, data, size);
	if (used_whole > size || (used_whole < size && !whole.reply.da1))
		abort();

	tquery_init(&pieces);
	while (off < size && !pieces.reply.da1) {
		size_t n = step < size - off ? step : size - off;

		used_pieces += tquery_feed(&pieces, data + off, n);
		off += n;
		step = (size_t)(data[off - 1] % 7) + 1;
	}
	if (used_pieces != used_whole || memcmp(&whole.reply, &pieces.reply, sizeof(whole.reply)))
		abort();
	if (whole.reply.da1 && tquery_feed(&whole, data, size) != 0)
		abort();
	if (whole.nparams < 0 || whole.nparams > 1000 || whole.reply.colour_regs > (int)TQUERY_MAX_VALUE)
		abort();

	tquery_cell_size(&whole.reply, whole.reply.geom_w / 10, whole.reply.geom_h / 20,
	    whole.reply.cell_w * 80, whole.reply.cell_h * 24, &w, &h);
	if (w < 2 || h < 4 || w > 512 || h > 512)
		abort();
	(void)tquery_decide(TQUERY_DISPLAY_AUTO, &whole.reply, "xterm", NULL);
	return 0;
}
