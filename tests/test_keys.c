/* test_keys.c: the default key table, without a terminal: no key bound to two actions in the
 * annotator or in review, every action reachable in both (the model command keeps M in review,
 * where A approves), and the assist tools' keys where the documentation says. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "prefs.h"
#include "tap.h"

int main(void)
{
	char *report = NULL;
	int n;

	n = keys_clashes(0, &report);
	tap_ok(n == 0, "the annotator: no clash, every action has a key%s%s", report ? ": " : "", report ? report : "");
	free(report);
	report = NULL;
	n = keys_clashes(1, &report);
	tap_ok(n == 0, "review: no clash, every action has a key%s%s", report ? ": " : "", report ? report : "");
	free(report);
	tap_ok(keys_default(0, "A") == ACT_MODEL && keys_default(1, "A") == ACT_APPROVE, "A: the model, in review approve");
	tap_ok(keys_default(0, "M") == ACT_MODEL && keys_default(1, "M") == ACT_MODEL, "M: the model in both");
	tap_ok(keys_default(0, "X") == ACT_NONE && keys_default(1, "X") == ACT_REJECT, "X: reject, in review only");
	tap_ok(keys_default(0, "w") == ACT_WAND && keys_default(0, ";") == ACT_TOL_DOWN && keys_default(0, ":") == ACT_TOL_UP,
	    "w: the wand, ; and : its tolerance");
	tap_ok(keys_default(0, "S") == ACT_SP_SHOW && keys_default(0, "i") == ACT_SP_PICK && keys_default(0, "I") == ACT_SP_SIZE,
	    "S, i, I: superpixels");
	tap_ok(keys_default(0, "F") == ACT_SCISSORS && keys_default(0, "Z") == ACT_MODEL_EXCLUDE &&
	    keys_default(0, "G") == ACT_GAP_NEXT, "F: scissors, Z: an exclude point, G: the next unlabeled region");
	{
		/* config.ini's [keys]: a value cannot end in " ;" (inih takes it for a comment). */
		struct prefs_keybinding kb = { "tolerance-up", "Semicolon", 1 };
		struct prefs p;
		struct keys *k;

		memset(&p, 0, sizeof(p));
		p.keys = &kb;
		p.nkeys = 1;
		k = keys_new(&p, 0, NULL, NULL);
		tap_ok(keys_action(k, ';') == ACT_TOL_UP, "[keys] tolerance-up = Semicolon binds ;");
		tap_ok(!strcmp(keys_name(';'), ";") && !strcmp(keys_name(' '), "Space"), "and the help shows it as ;");
		keys_free(k);
	}
	tap_ok(keys_default(0, "U") == ACT_NEXT_UNLABELED && keys_default(0, "Enter") == ACT_CLOSE, "the old keys stay");
	/* Letters the bundled examples give classes (t, y, c, r, v) are left to them or were bound
	 * before: none of the new tools took one. */
	tap_ok(keys_default(0, "t") == ACT_NONE && keys_default(0, "y") == ACT_NONE, "t and y stay free for classes");
	return tap_done();
}
