/* cmd_assign.c: `pxlabel assign DIR --to NAME1,NAME2 [--overlap 10%]`: the team's queues
 * (queue.h), written into DIR/queues/. */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "paths.h"
#include "queue.h"
#include "xalloc.h"

/* Queue files of people not in this --to are an earlier assign's: their images are now in
 * other queues too, so walking them would label images twice. They are the team's files to
 * remove, not ours: said, not deleted. */
static void stale_queues(const char *dir, char *const *people, size_t npeople)
{
	char *qdir = xasprintf("%s/%s", dir, QUEUE_DIR);
	struct dirent *e;
	DIR *d = opendir(qdir);
	size_t k, len;

	while (d && (e = readdir(d))) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		if (len - 4 == strlen(QUEUE_OVERLAP) && !strncmp(e->d_name, QUEUE_OVERLAP, len - 4))
			continue;
		for (k = 0; k < npeople; k++)
			if (strlen(people[k]) == len - 4 && !strncmp(e->d_name, people[k], len - 4))
				break;
		if (k == npeople)
			cli_warn(xasprintf("%s/%s is from an earlier assign (not in --to): its images are in these queues "
			    "too; remove it, or name its person in --to", qdir, e->d_name));
	}
	if (d)
		closedir(d);
	free(qdir);
}

/* "10%", "2.5%" or "10": a share in permille. */
static int parse_overlap(const char *s, unsigned *permille)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || (*end && strcmp(end, "%")) || !(v >= 0 && v <= 100))
		return -1;
	*permille = (unsigned)(v * 10 + 0.5);
	return 0;
}

int cmd_assign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "overlap", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	char **people = NULL, **images = NULL, **rel = NULL, *to = NULL, *cause = NULL, *tok, *save;
	size_t npeople = 0, n = 0, i, k, *counts = NULL, dlen;
	unsigned permille = 0;
	int c, status = EXIT_USAGE;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			to = optarg;
			break;
		case 'o':
			if (parse_overlap(optarg, &permille) != 0) {
				cli_errorf("--overlap wants a share from 0%% to 100%%, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!to || optind + 1 != argc) {
		cli_errorf("assign takes one DIR and --to NAME1,NAME2,... Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	to = xstrdup(to);
	for (tok = strtok_r(to, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (queue_check_name(tok, &cause) != 0) {
			cli_error(cause);
			goto out;
		}
		for (k = 0; k < npeople; k++)
			if (!strcmp(people[k], tok)) {
				cli_errorf("--to names %s twice", tok);
				goto out;
			}
		if (npeople >= QUEUE_MAX_PEOPLE) {
			cli_errorf("--to names more than %d people", QUEUE_MAX_PEOPLE);
			goto out;
		}
		people = xreallocarray(people, npeople + 1, sizeof(*people));
		people[npeople++] = tok;
	}
	if (npeople == 0) {
		cli_errorf("--to names nobody");
		goto out;
	}
	if (permille && npeople < 2) {
		cli_errorf("--overlap needs two people or more in --to");
		goto out;
	}
	status = 1;
	if (cli_collect(argv + optind, 1, &images, &n) != 0)
		goto out;
	/* Queues hold paths relative to DIR, so the folder can move or be mounted elsewhere. */
	dlen = strlen(argv[optind]);
	while (dlen > 1 && argv[optind][dlen - 1] == '/')
		dlen--;
	rel = xcalloc(n ? n : 1, sizeof(*rel));
	for (i = 0; i < n; i++)
		rel[i] = !strncmp(images[i], argv[optind], dlen) && images[i][dlen] == '/' ? images[i] + dlen + 1 : images[i];
	counts = xcalloc(npeople + 1, sizeof(*counts));
	if (queue_assign(argv[optind], rel, n, people, npeople, permille, counts, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	for (k = 0; k < npeople; k++)
		cli_line(stdout, "%s/%s/%s.txt: %zu images", argv[optind], QUEUE_DIR, people[k], counts[k]);
	cli_line(stdout, "%s/%s/%s.txt: %zu images labelled twice (picked by a hash of each path: about the share asked)",
	    argv[optind], QUEUE_DIR, QUEUE_OVERLAP, counts[npeople]);
	stale_queues(argv[optind], people, npeople);
	status = 0;
out:
	paths_list_free(images, n);
	free(rel);
	free(counts);
	free(people);
	free(to);
	return status;
}
