/* test_sbuf.c: the growable buffer. */
#include "config.h"

#include <string.h>

#include "sbuf.h"
#include "tap.h"

int main(void)
{
	struct sbuf b;
	int i;

	sbuf_init(&b);
	sbuf_adds(&b, "a");
	sbuf_addu(&b, 0);
	sbuf_addu(&b, 4294967295u);
	sbuf_addc(&b, ';');
	sbuf_printf(&b, "%d-%s", -5, "x");
	tap_ok(b.len == strlen("a04294967295;-5-x") && !strcmp(b.data, "a04294967295;-5-x"),
	    "appends text, numbers and formats: %s", b.data);
	for (i = 0; i < 100000; i++)
		sbuf_addc(&b, 'z');
	tap_ok(b.len == 17 + 100000 && b.data[b.len] == '\0', "grows to 100 kB, stays terminated");
	sbuf_free(&b);
	tap_ok(b.data == NULL && b.len == 0, "free leaves an empty buffer");
	return tap_done();
}
