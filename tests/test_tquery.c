/* test_tquery.c: the terminal-reply parser on real terminals' answers, cut at every byte,
 * mixed with keys and other sequences; the cell-size and sixel-or-blocks decisions. */
#include "config.h"

#include <string.h>

#include "tap.h"
#include "tquery.h"

struct sample {
	const char *name;
	const char *bytes;
	struct tquery_reply want;
};

/* What each terminal sends back for TQUERY_BURST. xterm's are recorded from xterm 379 at
 * 160x48 cells of 6x13 under Xvfb: as `xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256'`
 * (the geometry is the window's, not maxGraphicSize; CSI 16 t is ignored unless allowWindowOps
 * is on), with 1024 registers by default, and as plain xterm (a VT420: status 3, no value).
 * The others are from their sources and documentation. */
static const struct sample samples[] = {
	{ "xterm vt340",
	    "\033[?1;0;256S\033[?2;0;960;624S\033[?63;1;2;4;6;9;15;16;22;28c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 63, .colour_regs = 256, .geom_w = 960, .geom_h = 624 } },
	{ "xterm vt340, allowWindowOps",
	    "\033[?1;0;256S\033[?2;0;960;624S\033[6;13;6t\033[?63;1;2;4;6;9;15;16;22;28c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 63, .colour_regs = 256, .geom_w = 960, .geom_h = 624,
	        .cell_w = 6, .cell_h = 13 } },
	{ "xterm vt340, default registers",
	    "\033[?1;0;1024S\033[?2;0;960;624S\033[?63;1;2;4;6;9;15;16;22;28c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 63, .colour_regs = 1024, .geom_w = 960, .geom_h = 624 } },
	{ "xterm default (vt420, no sixel)",
	    "\033[?1;3S\033[?2;3S\033[?64;1;2;6;9;15;16;17;18;21;22;28c",
	    { .da1 = 1, .da1_class = 64 } },
	{ "mlterm",
	    "\033[?1;0;1024S\033[?2;0;1920;1080S\033[6;16;8t\033[?63;1;2;3;4;7;29c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 63, .colour_regs = 1024, .geom_w = 1920, .geom_h = 1080,
	        .cell_w = 8, .cell_h = 16 } },
	{ "foot",
	    "\033[?1;0;1024S\033[?2;0;1600;900S\033[6;19;9t\033[?62;4;22c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 62, .colour_regs = 1024, .geom_w = 1600, .geom_h = 900,
	        .cell_w = 9, .cell_h = 19 } },
	{ "WezTerm",
	    "\033[?1;0;256S\033[?2;0;2560;1440S\033[6;21;10t\033[?65;4;6;18;22c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 65, .colour_regs = 256, .geom_w = 2560, .geom_h = 1440,
	        .cell_w = 10, .cell_h = 21 } },
	{ "tmux 3.4 with sixel",
	    "\033[?1;0;256S\033[?2;0;1280;800S\033[?1;2;4c",
	    { .da1 = 1, .da1_sixel = 1, .da1_class = 1, .colour_regs = 256, .geom_w = 1280, .geom_h = 800 } },
	{ "tmux 3.3 (no sixel)",
	    "\033[?1;2c",
	    { .da1 = 1, .da1_class = 1 } },
	{ "Linux console",
	    "\033[?6c",
	    { .da1 = 1, .da1_class = 6 } },
	{ "kitty 0.26.5 (recorded under Xvfb: no XTSMGRAPHICS, the graphics reply before DA1)",
	    "\033[6;18;9t\033_Gi=31;OK\033\\\033[?62;c",
	    { .da1 = 1, .da1_class = 62, .cell_w = 9, .cell_h = 18, .kitty = 1 } },
	{ "a terminal that knows the protocol but refuses the query",
	    "\033_Gi=31;ENOTSUP:no\033\\\033[?62;22c",
	    { .da1 = 1, .da1_class = 62 } },
	{ "an APC of another id, and one cut by CAN",
	    "\033_Gi=32;OK\033\\\033_Gi=31;O\030K\033\\\033[?62;22c",
	    { .da1 = 1, .da1_class = 62 } },
	{ "a VT132 (4 as its class is not sixel)",
	    "\033[?4;6c",
	    { .da1 = 1, .da1_class = 4 } },
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static int same(const struct tquery_reply *a, const struct tquery_reply *b)
{
	return a->da1 == b->da1 && a->da1_sixel == b->da1_sixel && a->da1_class == b->da1_class &&
	    a->colour_regs == b->colour_regs && a->geom_w == b->geom_w && a->geom_h == b->geom_h &&
	    a->cell_w == b->cell_w && a->cell_h == b->cell_h && a->kitty == b->kitty;
}

static void show(const char *what, const struct tquery_reply *r)
{
	tap_diag("%s: da1 %d sixel %d class %d regs %d geom %dx%d cell %dx%d", what, r->da1,
	    r->da1_sixel, r->da1_class, r->colour_regs, r->geom_w, r->geom_h, r->cell_w, r->cell_h);
}

/* Feeds s in pieces of the given sizes (0 ends the list; the last piece takes the rest) and
 * returns the total consumed. */
static size_t feed_pieces(struct tquery_parser *p, const char *s, size_t len, size_t first)
{
	size_t used = 0;

	if (first > len)
		first = len;
	used += tquery_feed(p, s, first);
	if (!p->reply.da1)
		used += tquery_feed(p, s + first, len - first);
	return used;
}

static void test_samples(void)
{
	size_t i, cut, k;

	for (i = 0; i < NSAMPLES; i++) {
		const struct sample *sm = &samples[i];
		size_t len = strlen(sm->bytes);
		struct tquery_parser p;
		int ok = 1;

		tquery_init(&p);
		if (!tap_ok(tquery_feed(&p, sm->bytes, len) == len && same(&p.reply, &sm->want),
		        "%s: whole reply parsed", sm->name))
			show("got", &p.reply);

		/* Two pieces, cut after every byte. */
		for (cut = 0; cut <= len; cut++) {
			tquery_init(&p);
			if (feed_pieces(&p, sm->bytes, len, cut) != len || !same(&p.reply, &sm->want)) {
				tap_diag("cut at %zu", cut);
				ok = 0;
			}
		}
		tap_ok(ok, "%s: same result cut at each of %zu places", sm->name, len + 1);

		/* One byte at a time, and nothing more is taken after DA1. */
		tquery_init(&p);
		for (k = 0; k < len; k++)
			if (tquery_feed(&p, sm->bytes + k, 1) != 1)
				break;
		tap_ok(k == len && same(&p.reply, &sm->want) && tquery_feed(&p, "x", 1) == 0,
		    "%s: byte by byte, then done", sm->name);
	}
}

static void test_junk(void)
{
	/* Keys typed while the replies come: letters, an arrow (CSI A), F1 (SS3 P), UTF-8, a
	 * mouse report, a DA2 reply (CSI > c, which must not end the wait), DECRPM with an
	 * intermediate, an aborted sequence (CAN), sub-parameters. */
	static const char junk[] = "ab\033[A\033OP\xc3\xa9\033[<0;10;5M\033[>0;276;0c"
	                           "\033[?2026;2$y\033[?1;0\030\033[?1:2;0;16S\033\033";
	const struct sample *xt = &samples[0];
	char buf[512];
	struct tquery_parser p;
	size_t len, cut, used;
	int ok = 1;

	tquery_init(&p);
	tquery_feed(&p, junk, sizeof(junk) - 1);
	tap_ok(!p.reply.da1 && !p.reply.colour_regs && !p.reply.geom_w,
	    "junk alone: no reply, no DA1 (the caller's deadline ends the wait)");

	/* Junk in front of, between and after the replies: after ends up unconsumed. */
	snprintf(buf, sizeof(buf), "%s\033[?1;0;256S%s\033[?2;0;960;624S%s\033[?63;1;2;4;6;9;15;16;22;28c"
	    "typed-ahead", junk, junk, junk);
	len = strlen(buf);
	for (cut = 0; cut <= len; cut++) {
		tquery_init(&p);
		used = feed_pieces(&p, buf, len, cut);
		if (used != len - strlen("typed-ahead") || !same(&p.reply, &xt->want)) {
			tap_diag("cut at %zu: used %zu", cut, used);
			show("got", &p.reply);
			ok = 0;
		}
	}
	tap_ok(ok, "replies among junk, cut anywhere: parsed; the keys after DA1 are left over");

	tquery_init(&p);
	tquery_feed(&p, "\033[?1;3;0S\033[?2;1;0;0S\033[?1;0;0S\033[?1;0S\033[5;13;6t\033[6;0;6t", 50);
	tap_ok(!p.reply.colour_regs && !p.reply.geom_w && !p.reply.cell_w,
	    "error statuses, zero and short replies are ignored");

	tquery_init(&p);
	tquery_feed(&p, "\033[?1;0;99999999999999999999S", 29);
	tap_ok(p.reply.colour_regs == (int)TQUERY_MAX_VALUE, "huge values are clamped (%d)", p.reply.colour_regs);
}

static void test_long_da1(void)
{
	char buf[4096];
	struct tquery_parser p;
	size_t len;
	int i;

	/* Far more features than are stored: 4 is still seen at the end. */
	len = (size_t)snprintf(buf, sizeof(buf), "\033[?65");
	for (i = 0; i < 300; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, ";%d", 10 + i % 50);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, ";4c");
	tquery_init(&p);
	tap_ok(tquery_feed(&p, buf, len) == len && p.reply.da1 && p.reply.da1_sixel &&
	    p.reply.da1_class == 65, "a DA1 of 302 parameters with 4 last: sixel");
	buf[len - 2] = '5';
	tquery_init(&p);
	tquery_feed(&p, buf, len);
	tap_ok(p.reply.da1 && !p.reply.da1_sixel, "the same without 4: no sixel");
	tquery_init(&p);
	tquery_feed(&p, "\033[?63;14c", 9);
	tap_ok(p.reply.da1 && !p.reply.da1_sixel, "14 is not 4");
	tquery_init(&p);
	tquery_feed(&p, "\033[?63;;4c", 9);
	tap_ok(p.reply.da1 && p.reply.da1_sixel, "empty parameters are skipped over");
	tquery_init(&p);
	tquery_feed(&p, "\033[?c", 4);
	tap_ok(p.reply.da1 && !p.reply.da1_sixel && p.reply.da1_class == 0, "a bare CSI ? c ends the wait");
	tquery_init(&p);
	tquery_feed(&p, "\033[1?4c\033[?4;4;c", 15);
	tap_ok(p.reply.da1 && p.reply.da1_sixel && p.reply.da1_class == 4,
	    "a misplaced marker spoils only its own sequence");
}

static void test_cell_size(void)
{
	struct tquery_reply r = { 0 };
	int w, h;
	enum tquery_cell_source s;

	s = tquery_cell_size(NULL, 80, 24, 484, 316, &w, &h);
	tap_ok(s == TQUERY_CELL_WINSIZE && w == 6 && h == 13, "xterm 80x24 at 484x316 (borders): 6x13 (%dx%d)", w, h);
	r.cell_w = 9;
	r.cell_h = 18;
	r.geom_w = 1000;
	r.geom_h = 1000;
	s = tquery_cell_size(&r, 80, 24, 484, 316, &w, &h);
	tap_ok(s == TQUERY_CELL_WINSIZE && w == 6, "TIOCGWINSZ wins over CSI 16 t");
	s = tquery_cell_size(&r, 80, 24, 0, 0, &w, &h);
	tap_ok(s == TQUERY_CELL_CSI16T && w == 9 && h == 18, "no pixel size: CSI 16 t (%dx%d)", w, h);
	s = tquery_cell_size(&r, 80, 24, 80, 24, &w, &h);
	tap_ok(s == TQUERY_CELL_CSI16T, "1 pixel a cell is not believed");
	r.cell_w = r.cell_h = 0;
	s = tquery_cell_size(&r, 100, 50, 0, 0, &w, &h);
	tap_ok(s == TQUERY_CELL_GEOMETRY && w == 10 && h == 20, "then XTSMGRAPHICS geometry / cells (%dx%d)", w, h);
	s = tquery_cell_size(&r, 400, 300, 0, 0, &w, &h);
	tap_ok(s == TQUERY_CELL_DEFAULT && w == 10 && h == 20, "geometry too small for the cells: 10x20");
	s = tquery_cell_size(NULL, 0, 0, 0, 0, &w, &h);
	tap_ok(s == TQUERY_CELL_DEFAULT && w == 10 && h == 20, "nothing known: 10x20");
	r.cell_w = 60000;
	r.cell_h = 60000;
	s = tquery_cell_size(&r, 0, 0, 0, 0, &w, &h);
	tap_ok(s == TQUERY_CELL_DEFAULT, "an absurd CSI 16 t is not believed");
	s = tquery_cell_size(NULL, 1, 1, 65535, 65535, &w, &h);
	tap_ok(s == TQUERY_CELL_DEFAULT, "an absurd TIOCGWINSZ is not believed");
	tap_ok(!strcmp(tquery_cell_source_name(TQUERY_CELL_CSI16T), "CSI 16 t"), "sources have names");
}

static void test_decide(void)
{
	struct tquery_reply yes = { .da1 = 1, .da1_sixel = 1 }, no = { .da1 = 1 }, none = { 0 };

	tap_ok(tquery_display_parse("sixel") == TQUERY_DISPLAY_SIXEL &&
	    tquery_display_parse("blocks") == TQUERY_DISPLAY_BLOCKS &&
	    tquery_display_parse("auto") == TQUERY_DISPLAY_AUTO && tquery_display_parse("kitty") == TQUERY_DISPLAY_KITTY &&
	    tquery_display_parse("kity") == -1 && tquery_display_parse(NULL) == -1, "--display values parse");
	{
		struct tquery_reply kitty = { .da1 = 1, .kitty = 1 }, both = { .da1 = 1, .da1_sixel = 1, .kitty = 1 };
		const char *why, *tmux = "/tmp/tmux-0/default,1,0";

		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &kitty, "xterm-256color", NULL, &why) == TQUERY_DISPLAY_KITTY && !why,
		    "auto: the graphics query answered OK, over SSH with TERM=xterm-256color: kitty");
		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &both, "xterm-kitty", NULL, &why) == TQUERY_DISPLAY_KITTY,
		    "kitty before sixel when a terminal has both (WezTerm, Konsole)");
		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &yes, "xterm", NULL, &why) == TQUERY_DISPLAY_SIXEL &&
		    tquery_choose(TQUERY_DISPLAY_AUTO, &no, "xterm", NULL, &why) == TQUERY_DISPLAY_BLOCKS && !why,
		    "sixel before blocks, as before");
		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &none, "xterm-256color", NULL, &why) == TQUERY_DISPLAY_BLOCKS,
		    "no answer: blocks");
		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &kitty, "tmux-256color", tmux, &why) == TQUERY_DISPLAY_BLOCKS &&
		    why && !strcmp(why, "in tmux"), "in tmux: blocks, said why");
		tap_ok(tquery_choose(TQUERY_DISPLAY_KITTY, &none, "tmux-256color", tmux, &why) == TQUERY_DISPLAY_BLOCKS &&
		    why && !strcmp(why, "in tmux"), "--display kitty in tmux: blocks, said why");
		tap_ok(tquery_choose(TQUERY_DISPLAY_KITTY, NULL, "xterm", NULL, &why) == TQUERY_DISPLAY_KITTY &&
		    tquery_choose(TQUERY_DISPLAY_SIXEL, &kitty, "xterm", NULL, &why) == TQUERY_DISPLAY_SIXEL &&
		    tquery_choose(TQUERY_DISPLAY_BLOCKS, &kitty, "xterm", NULL, &why) == TQUERY_DISPLAY_BLOCKS,
		    "an explicit choice wins outside tmux");
		tap_ok(tquery_choose(TQUERY_DISPLAY_AUTO, &yes, "tmux-256color", tmux, &why) == TQUERY_DISPLAY_SIXEL && !why,
		    "tmux with native sixel: sixel, as before");
	}
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &yes, "xterm", NULL) == 1, "DA1 with 4: sixel");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &no, "xterm", NULL) == 0, "DA1 without 4: blocks");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &yes, "tmux-256color", "/tmp/tmux-0/default,1,0") == 1,
	    "tmux that says 4 (native sixel): sixel");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &no, "tmux-256color", "/tmp/tmux-0/default,1,0") == 0,
	    "tmux without 4: blocks");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &none, "foot", "/tmp/tmux-0/default,1,0") == 0,
	    "tmux that did not answer: blocks, whatever TERM says");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &none, "foot", NULL) == 1 &&
	    tquery_decide(TQUERY_DISPLAY_AUTO, NULL, "mlterm", "") == 1,
	    "no answer in time, TERM of an always-sixel terminal: sixel");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &none, "xterm-256color", NULL) == 0, "no answer, xterm: blocks");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &no, "foot", NULL) == 0, "an answer without 4 beats TERM");
	tap_ok(tquery_decide(TQUERY_DISPLAY_AUTO, &yes, "dumb", NULL) == 0 &&
	    tquery_decide(TQUERY_DISPLAY_AUTO, &yes, NULL, NULL) == 0, "TERM dumb or unset: blocks");
	tap_ok(tquery_decide(TQUERY_DISPLAY_SIXEL, &no, "dumb", "x") == 1 &&
	    tquery_decide(TQUERY_DISPLAY_BLOCKS, &yes, "foot", NULL) == 0, "--display sixel|blocks override");
	tap_ok(!tquery_worth_asking(TQUERY_DISPLAY_AUTO, "dumb") && !tquery_worth_asking(TQUERY_DISPLAY_AUTO, "") &&
	    !tquery_worth_asking(TQUERY_DISPLAY_BLOCKS, "xterm") && tquery_worth_asking(TQUERY_DISPLAY_SIXEL, "xterm"),
	    "the burst is not sent to dumb terminals nor when blocks were chosen");
	tap_ok(TQUERY_BURST_LEN == strlen(TQUERY_BURST) && !strcmp(TQUERY_BURST + TQUERY_BURST_LEN - 3, "\033[c"),
	    "the burst ends with DA1");
}

int main(void)
{
	test_samples();
	test_junk();
	test_long_da1();
	test_cell_size();
	test_decide();
	return tap_done();
}
