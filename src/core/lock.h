/* lock.h: one annotator per image. NAME.pxl.lock (beside the sidecar) says who is editing the
 * image; a second annotator opens it read-only and is told who. The file is created with
 * O_CREAT|O_EXCL, which is atomic on local file systems and on NFS v3 and later. A lock left by
 * a process that died on this host is taken over; one from another host is honoured until
 * removed by hand (pxlabel cannot see whether that process lives). */
#ifndef PXL_LOCK_H
#define PXL_LOCK_H

struct lock {
	char *path; /* owned; NULL when no lock is held */
};

/* Takes the lock for the sidecar at sidecar_path. Returns 0 when held, 1 when someone else
 * holds it (*holder: "user@host, pid N, since TIME", caller frees), -1 on an error (*cause). */
int lock_take(struct lock *l, const char *sidecar_path, char **holder, char **cause);
/* Releases a held lock; harmless when none is held. */
void lock_release(struct lock *l);

#endif
