/* fuzz_cfg.c: libFuzzer target for the INI readers (inifile.c under dataset.c and prefs.c). The
 * input is parsed both as a pxlabel.ini and as a config.ini, and what comes back is checked
 * against the promises of dataset.h and prefs.h, so the fuzzer finds wrong answers as well as
 * crashes: a hostile file must give either a data set that the rest of pxlabel can trust (ids
 * unique, parents acyclic, names printable) or one line of error that is safe to print.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I<builddir> -Isrc/core \
 *       fuzz/fuzz_cfg.c src/core/inifile.c src/core/dataset.c src/core/prefs.c src/core/text.c \
 *       src/core/afile.c src/core/colour.c src/core/err.c src/core/xalloc.c -linih -o fuzz_cfg
 *   ./fuzz_cfg -dict=fuzz/cfg.dict fuzz/corpus/cfg
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "inifile.h"
#include "prefs.h"

#define NAME "fuzz.ini"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Valid UTF-8 without C0, DEL or C1 controls: what the readers let through to the terminal. */
static void check_printable(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int more;

	while (*s) {
		CHECK(*s >= 0x20 && *s != 0x7f && *s != 0xc0 && *s != 0xc1 && *s < 0xf5);
		CHECK(!(s[0] == 0xc2 && s[1] >= 0x80 && s[1] < 0xa0));
		more = *s < 0x80 ? 0 : *s < 0xe0 ? 1 : *s < 0xf0 ? 2 : 3;
		CHECK(*s < 0x80 || *s >= 0xc0);
		for (s++; more > 0; more--, s++)
			CHECK((*s & 0xc0) == 0x80);
	}
}

/* One line, naming the file, with nothing in it a terminal would act on. */
static void check_message(const char *s)
{
	CHECK(s && !strncmp(s, NAME ":", strlen(NAME ":")));
	check_printable(s);
}

static void check_dataset(const struct dataset *ds)
{
	const struct dataset_class *c, *p;
	size_t i, steps;

	CHECK(ds->nclasses >= 1 && ds->nclasses <= DATASET_MAX_CLASSES);
	for (i = 0; i < ds->nclasses; i++) {
		c = &ds->classes[i];
		CHECK(c->id >= 1 && c->id <= 255);
		CHECK(i == 0 || ds->classes[i - 1].id < c->id);
		CHECK(strlen(c->name) >= 1 && strlen(c->name) <= DATASET_MAX_NAME);
		check_printable(c->name);
		CHECK(c->key == 0 || (c->key >= '!' && c->key <= '~'));
		CHECK(c->key == 0 || dataset_class_by_key(ds, c->key) == c);
		CHECK(dataset_class_by_name(ds, c->name) == c);
		CHECK(dataset_class_by_id(ds, c->id) == c);
		/* Following parents ends at a root within nclasses steps. */
		p = c;
		for (steps = 0; p->parent_id; steps++) {
			CHECK(steps < ds->nclasses);
			p = dataset_class_by_id(ds, p->parent_id);
			CHECK(p);
		}
	}
	CHECK(ds->sidecar_suffix[0] == '.' && !strchr(ds->sidecar_suffix, '/'));
	CHECK(ds->labels_suffix[0] == '.' && !strchr(ds->labels_suffix, '/'));
	CHECK(ds->instances_suffix[0] == '.' && !strchr(ds->instances_suffix, '/'));
	CHECK(strcmp(ds->sidecar_suffix, ds->labels_suffix));
	CHECK(strcmp(ds->sidecar_suffix, ds->instances_suffix));
	CHECK(strcmp(ds->labels_suffix, ds->instances_suffix));
	CHECK(ds->nwarnings <= INIFILE_MAX_WARNINGS + 1);
	for (i = 0; i < ds->nwarnings; i++)
		check_message(ds->warnings[i]);
}

static void check_user(const struct prefs *u)
{
	size_t i;

	CHECK(u->opacity >= 0 && u->opacity <= 100);
	CHECK(u->colors >= -1 && u->colors <= 2);
	CHECK(u->max_pixels <= 1ULL << 40 && u->max_file_size <= 1ULL << 40);
	for (i = 0; i < u->nkeys; i++) {
		CHECK(u->keys[i].action[0] && strlen(u->keys[i].action) <= PREFS_MAX_KEYSPEC);
		CHECK(u->keys[i].key[0] && strlen(u->keys[i].key) <= PREFS_MAX_KEYSPEC);
		CHECK(u->keys[i].line >= 1);
		check_printable(u->keys[i].action);
		check_printable(u->keys[i].key);
	}
	CHECK(u->nwarnings <= INIFILE_MAX_WARNINGS + 1);
	for (i = 0; i < u->nwarnings; i++)
		check_message(u->warnings[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dataset ds;
	struct prefs u;
	char *cause = NULL;

	if (dataset_parse_mem(NAME, (const char *)data, size, &ds, &cause) == 0) {
		CHECK(!cause);
		check_dataset(&ds);
	} else {
		check_message(cause);
		CHECK(!ds.classes && !ds.path && !ds.warnings);
	}
	dataset_free(&ds);
	free(cause);
	cause = NULL;
	if (prefs_parse_mem(NAME, (const char *)data, size, &u, &cause) == 0) {
		CHECK(!cause);
		check_user(&u);
	} else {
		check_message(cause);
		CHECK(!u.keys && !u.path && !u.warnings);
	}
	prefs_free(&u);
	free(cause);
	return 0;
}
