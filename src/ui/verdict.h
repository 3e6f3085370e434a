/* verdict.h: the reviewer's keys in `pxlabel review`: approve, reject with a comment typed on
 * the status line. Everything else is the annotator's (fixing on the spot is normal editing). */
#ifndef PXL_UI_VERDICT_H
#define PXL_UI_VERDICT_H

struct ui;

/* Takes the key when it is the reviewer's (or the comment being typed); 1 when taken. */
int verdict_key(struct ui *u, int ch);

#endif
