/* Scenario 3: many handles used from several threads at once.
 *
 *   threads THREADS SECONDS
 *
 * Each thread, until the time is up (at least once), opens a handle of its own, creates
 * a batch of entries (its own port), reads each back with NFCT_Q_GET and
 * checks its mark, dumps the table and checks that its whole batch is
 * there, deletes the batch, checks that NFCT_Q_GET now fails with ENOENT,
 * and closes the handle. Any failed call or wrong result stops the
 * program with status 1. */
#include <pthread.h>
#include "common.h"

#define BATCH 16
#define MAX_THREADS 64

struct worker {
	int id;
	double until;
	long loops, ops;
	/* What the callbacks saw. */
	uint32_t mark;
	int got;
	uint32_t first;
	int in_dump[BATCH];
};

static uint16_t port_of(const struct worker *w)
{
	return 1000 + w->id;
}

static int get_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct worker *w = data;

	(void)type;
	w->got++;
	w->mark = nfct_get_attr_u32(ct, ATTR_MARK);
	return NFCT_CB_CONTINUE;
}

static int dump_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct worker *w = data;
	long i = stress_idx(ct, port_of(w));

	(void)type;
	if (i >= (long)w->first && i < (long)w->first + BATCH)
		w->in_dump[i - w->first]++;
	return NFCT_CB_CONTINUE;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	uint32_t family = AF_INET;

	/* At least one loop, however slow (valgrind runs one thread at a
	 * time). */
	do {
		struct nfct_handle *h = nfct_open(CONNTRACK, 0);
		struct nf_conntrack *cts[BATCH];

		CHECK(h, "thread %d: nfct_open: %s", w->id, strerror(errno));
		/* Index: thread in the high bits, a rolling batch below. */
		w->first = ((uint32_t)w->id << 16) | ((w->loops * BATCH) & 0xffff);
		for (int j = 0; j < BATCH; j++) {
			cts[j] = stress_ct(w->first + j, port_of(w));
			CHECK(cts[j], "nfct_new");
			CHECK(nfct_query(h, NFCT_Q_CREATE, cts[j]) == 0, "thread %d: create: %s",
			      w->id, strerror(errno));
		}
		nfct_callback_register(h, NFCT_T_ALL, get_cb, w);
		for (int j = 0; j < BATCH; j++) {
			w->got = 0;
			CHECK(nfct_query(h, NFCT_Q_GET, cts[j]) == 0, "thread %d: get: %s", w->id,
			      strerror(errno));
			CHECK(w->got == 1 && w->mark == w->first + j,
			      "thread %d: get gave %d answers, mark %u, want %u", w->id, w->got,
			      w->mark, w->first + j);
		}
		nfct_callback_unregister(h);
		nfct_callback_register(h, NFCT_T_ALL, dump_cb, w);
		memset(w->in_dump, 0, sizeof(w->in_dump));
		CHECK(nfct_query(h, NFCT_Q_DUMP, &family) == 0, "thread %d: dump: %s", w->id,
		      strerror(errno));
		for (int j = 0; j < BATCH; j++)
			CHECK(w->in_dump[j] >= 1, "thread %d: entry %d missing from the dump", w->id,
			      j);
		nfct_callback_unregister(h);
		for (int j = 0; j < BATCH; j++) {
			CHECK(nfct_query(h, NFCT_Q_DESTROY, cts[j]) == 0, "thread %d: delete: %s",
			      w->id, strerror(errno));
			CHECK(nfct_query(h, NFCT_Q_GET, cts[j]) == -1 && errno == ENOENT,
			      "thread %d: deleted entry still found (%s)", w->id, strerror(errno));
			nfct_destroy(cts[j]);
		}
		CHECK(nfct_close(h) == 0, "thread %d: nfct_close", w->id);
		w->loops++;
		w->ops += 4 * BATCH + 3; /* create, get, delete, get; open, dump, close */
	} while (secs() < w->until);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8;
	double seconds = argc > 2 ? atof(argv[2]) : 4;
	struct worker w[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	long loops = 0, ops = 0, least = -1;
	double t0 = secs();

	CHECK(n >= 1 && n <= MAX_THREADS, "1..%d threads", MAX_THREADS);
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ .id = i, .until = t0 + seconds };
		CHECK(pthread_create(&tid[i], NULL, run, &w[i]) == 0, "pthread_create");
	}
	for (int i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		loops += w[i].loops;
		ops += w[i].ops;
		if (least < 0 || w[i].loops < least)
			least = w[i].loops;
	}
	printf("%d threads, %.1f s: %ld loops (fewest in a thread %ld), %ld operations, "
	       "all correct\n",
	       n, secs() - t0, loops, least, ops);
	CHECK(least > 0, "a thread made no loop");
	return 0;
}
