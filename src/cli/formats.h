/* formats.h: what a file format brings to the command that reads or writes it (export,
 * import): its word on the command line, its own options with their help, and a state that
 * holds them for the run. The command parses its own options and every format's in one getopt
 * table, so that options may come anywhere on the line (the format's word among them), and
 * each format gets its own by its own letter. Behind it, the format's work is in the command's
 * interface (export.h, import.h). */
#ifndef PXL_FORMATS_H
#define PXL_FORMATS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct format {
	const char *name;     /* the word after the command: "voc" */
	const char *synopsis; /* what follows the word in the command's usage line; NULL: the
	                         command's own */
	/* Its long options, ending with a zero entry (NULL: none). val is the format's own
	 * letter for the option, handed to option(); aliases share one. A name two formats both
	 * have (voc's and cityscapes's --copy) goes to both. */
	const struct option *options;
	const char *help; /* its lines in the command's --help, under "name:" */
	/* A new state holding its options at their defaults, for one run. */
	void *(*new_state)(void);
	/* One of its options; -1 when the value is bad (said: a usage error). Called for every
	 * format with the option, chosen or not, so that a bad value is always an error. */
	int (*option)(void *st, int val, const char *arg);
	/* After the options, when it is the one chosen: -1 when one it cannot do without is
	 * missing (said: a usage error). NULL: none. */
	int (*check)(void *st);
	void (*free_state)(void *st);
};

/* The formats of one command, with a state each, and the getopt table. */
struct formats {
	const struct format *const *fmt;
	size_t n;
	void **state;
	struct option *longopts; /* the command's options, then the formats' (a name once) */
};

/* getopt_long returns values from this up for the formats' options. */
#define FORMATS_VAL 0x100

/* common: the command's own options (vals below FORMATS_VAL), ending with a zero entry. */
void formats_init(struct formats *s, const struct format *const *fmt, size_t n, const struct option *common);
void formats_free(struct formats *s);
/* c and idx as getopt_long gave them: a format's option goes to every format with an option of
 * that name. Returns 1 when it was one (and went well), 0 when c is the command's, -1 on a bad
 * value (said: a usage error). */
int formats_option(struct formats *s, int c, int idx, const char *arg);
/* The format called name (its state in *state), or NULL. */
const struct format *formats_find(const struct formats *s, const char *name, void **state);
/* The names joined: ("|", "|") gives "a|b|c", (", ", " or ") gives "a, b or c". A new string. */
char *formats_names(const struct format *const *fmt, size_t n, const char *sep, const char *last);
/* Each format's help under its name. */
void formats_help(FILE *fp, const struct format *const *fmt, size_t n);

#endif
