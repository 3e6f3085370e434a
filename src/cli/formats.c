/* formats.c: one getopt table for a command and its formats, the formats' options handed to
 * them, and their names and help for messages (formats.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "xalloc.h"

static size_t count_options(const struct option *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static const struct option *by_name(const struct option *o, const char *name)
{
	for (; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

void formats_init(struct formats *s, const struct format *const *fmt, size_t n, const struct option *common)
{
	size_t total = count_options(common), k, i, j;
	int next = FORMATS_VAL;

	for (i = 0; i < n; i++)
		total += count_options(fmt[i]->options);
	s->fmt = fmt;
	s->n = n;
	s->state = xcalloc(n ? n : 1, sizeof(void *));
	s->longopts = xcalloc(total + 1, sizeof(struct option));
	k = count_options(common);
	memcpy(s->longopts, common, k * sizeof(struct option));
	for (i = 0; i < n; i++) {
		const struct option *o = fmt[i]->options;

		s->state[i] = fmt[i]->new_state();
		for (j = 0; o && o[j].name; j++) {
			const struct option *alias = NULL;
			struct option *dup;
			size_t a;

			if (by_name(s->longopts, o[j].name))
				continue; /* another format's too: handed to both */
			/* Aliases (one letter in the format) keep one value, so that getopt takes an
			 * abbreviation of both for one option, as it would in a table of their own. */
			for (a = 0; a < j && !alias; a++)
				if (o[a].val == o[j].val)
					alias = by_name(s->longopts, o[a].name);
			dup = &s->longopts[k++];
			*dup = o[j];
			dup->flag = NULL;
			dup->val = alias ? alias->val : next++;
		}
	}
}

void formats_free(struct formats *s)
{
	size_t i;

	for (i = 0; s->state && i < s->n; i++)
		if (s->state[i])
			s->fmt[i]->free_state(s->state[i]);
	free(s->state);
	free(s->longopts);
	memset(s, 0, sizeof(*s));
}

int formats_option(struct formats *s, int c, int idx, const char *arg)
{
	const char *name;
	size_t i;

	if (c < FORMATS_VAL)
		return 0;
	name = s->longopts[idx].name;
	for (i = 0; i < s->n; i++) {
		const struct option *o = by_name(s->fmt[i]->options, name);

		if (o && s->fmt[i]->option(s->state[i], o->val, arg) != 0)
			return -1;
	}
	return 1;
}

const struct format *formats_find(const struct formats *s, const char *name, void **state)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->fmt[i]->name, name)) {
			*state = s->state[i];
			return s->fmt[i];
		}
	return NULL;
}

char *formats_names(const struct format *const *fmt, size_t n, const char *sep, const char *last)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(fmt[i]->name) + (i ? strlen(i + 1 == n ? last : sep) : 0);
	s = xmalloc(len);
	*s = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, i + 1 == n ? last : sep);
		strcat(s, fmt[i]->name);
	}
	return s;
}

void formats_help(FILE *fp, const struct format *const *fmt, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fmt[i]->help)
			fprintf(fp, "%s:\n%s", fmt[i]->name, fmt[i]->help);
}
