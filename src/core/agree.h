/* agree.h: how far two annotations of one image agree, as counts that add up over a data set.
 * Per class: the class masks' intersection and union (IoU = sum of intersections over sum of
 * unions), and panoptic quality's counts on segments, a segment being the pixels an instance
 * shows in the instance mask: two segments of one class match when their IoU is over 0.5
 * (so a segment matches at most one), TP the matches, FN A's segments left, FP B's, and the
 * matches' IoUs summed. A is the reference side only in the names FN and FP: PQ, SQ and RQ
 * are symmetric. Classes are indices the caller chose (so that two data sets can be matched by
 * name); index 0 is unlabeled pixels, which no measure counts. */
#ifndef PXL_AGREE_H
#define PXL_AGREE_H

#include <stddef.h>
#include <stdint.h>

#define AGREE_MAX_CLASSES 512 /* class indices 0 (unlabeled) to 511 */

/* One side's masks: the class id and the instance id of each pixel, 0 for none. */
struct agree_masks {
	int w, h;
	const uint8_t *cls;
	const uint16_t *ids;
};

/* One class's counts, over one image or many (they add). */
struct agree_counts {
	uint64_t inter, uni; /* class-mask pixels that both sides give it, that either does */
	double iou_sum;      /* the IoUs of the matched segments */
	uint64_t tp, fp, fn;
};

/* What the measures come to for one class. A measure with nothing to measure (no pixel of the
 * class on either side; no segment) is not defined: has_iou, has_pq say so. */
struct agree_score {
	int has_iou, has_pq;
	double iou, pq, sq, rq; /* sq is 0 without matches, as panopticapi has it */
};

/* A worker's memory between images: zero-initialise it, reuse it, free it. */
struct agree_scratch {
	uint64_t *area_a, *area_b;   /* 65536 each: pixels per instance id */
	uint16_t *class_a, *class_b; /* 65536 each: a segment's class index */
	uint16_t *seen_a, *seen_b;   /* the ids met, in order; their count */
	size_t nseen_a, nseen_b;
	uint32_t *match_a;           /* 65536: 1 + the table slot of an A segment's match, or 0 */
	uint8_t *match_b;            /* 65536: whether a B segment matched */
	uint32_t *keys;              /* open addressing: (id_a << 16 | id_b) -> overlap pixels */
	uint64_t *overlap;
	size_t cap, used;
	uint64_t pix_a[AGREE_MAX_CLASSES], pix_b[AGREE_MAX_CLASSES], inter[AGREE_MAX_CLASSES];
};

/* Adds what one image's two annotations show to counts (nclasses entries, indexed by class
 * index). map_a and map_b turn each side's class ids into class indices below nclasses (0 for
 * unlabeled). A segment's class is the class of its first pixel in row order. The two sides
 * must have one size. */
int agree_image(const struct agree_masks *a, const struct agree_masks *b, const uint16_t map_a[256],
    const uint16_t map_b[256], size_t nclasses, struct agree_counts *counts, struct agree_scratch *s,
    char **cause) __attribute__((warn_unused_result));
void agree_scratch_free(struct agree_scratch *s);

/* Adds one class's counts into another's. */
void agree_add(struct agree_counts *to, const struct agree_counts *c);
/* IoU = inter / uni; PQ = iou_sum / (TP + FP/2 + FN/2); SQ = iou_sum / TP; RQ = TP / (TP + FP/2 + FN/2). */
void agree_score(const struct agree_counts *c, struct agree_score *out);
/* The means over the n classes: mean IoU over those whose IoU is defined, mean PQ (and SQ, RQ)
 * over those whose PQ is; 0 with n_iou or n_pq 0. */
struct agree_mean {
	size_t n_iou, n_pq;
	double iou, pq, sq, rq;
};
void agree_mean(const struct agree_counts *c, size_t n, struct agree_mean *out);

#endif
