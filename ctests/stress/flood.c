/* Scenario 2: an event flood that overruns the listener's socket.
 *
 *   flood COUNT
 *
 * A handle subscribes to NEW and DESTROY events (default receive buffer)
 * and does not read while a child creates COUNT entries at full speed.
 * Then nfct_catch must fail with ENOBUFS; the handle must go on working
 * (the events of entries created afterwards arrive); and every one of
 * the COUNT entries must be in the table: an overrun loses events, not
 * entries. */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "common.h"

#define FLOOD_PORT 90
#define AFTER_PORT 91
#define AFTER_COUNT 16

struct tally {
	long events, after;
	uint8_t *seen;
	long n;
};

static int event_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct tally *t = data;

	t->events++;
	if (type == NFCT_T_NEW && stress_idx(ct, AFTER_PORT) >= 0 && ++t->after == AFTER_COUNT)
		return NFCT_CB_STOP;
	return NFCT_CB_CONTINUE;
}

static int table_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct tally *t = data;
	long i = stress_idx(ct, FLOOD_PORT);

	(void)type;
	if (i >= 0 && i < t->n)
		t->seen[i] = 1;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000, before, drained, present = 0;
	struct nfct_handle *ev = nfct_open(CONNTRACK, NF_NETLINK_CONNTRACK_NEW |
							      NF_NETLINK_CONNTRACK_DESTROY);
	struct nfct_handle *q = nfct_open(CONNTRACK, 0);
	struct timeval tv = { .tv_sec = 2 };
	struct tally t = { .n = n };
	uint32_t family = AF_INET;
	int rc, status, eno;
	pid_t pid;

	CHECK(ev && q, "nfct_open: %s", strerror(errno));
	/* A read with nothing queued ends with EAGAIN instead of blocking. */
	CHECK(setsockopt(nfct_fd(ev), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0,
	      "SO_RCVTIMEO");
	nfct_callback_register(ev, NFCT_T_ALL, event_cb, &t);

	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct mnl_socket *nl = stress_nl();

		_exit(stress_batch(nl, 1, 0, n, FLOOD_PORT, NULL) ? 1 : 0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the generator failed");

	rc = nfct_catch(ev);
	eno = errno;
	before = t.events;
	CHECK(rc == -1 && eno == ENOBUFS, "nfct_catch after the flood: %d (%s), want ENOBUFS",
	      rc, strerror(eno));
	/* What is still queued. */
	while ((rc = nfct_catch(ev)) >= 0 || errno == ENOBUFS || errno == EINTR)
		;
	CHECK(errno == EAGAIN || errno == EWOULDBLOCK, "draining: %s", strerror(errno));
	drained = t.events;

	/* The same handle, after the overrun. */
	for (int i = 0; i < AFTER_COUNT; i++) {
		struct nf_conntrack *ct = stress_ct(i, AFTER_PORT);

		CHECK(nfct_query(q, NFCT_Q_CREATE, ct) == 0, "create: %s", strerror(errno));
		nfct_destroy(ct);
	}
	rc = nfct_catch(ev);
	CHECK(t.after == AFTER_COUNT, "after the overrun: %ld of %d new events (nfct_catch %d, %s)",
	      t.after, AFTER_COUNT, rc, strerror(errno));

	/* The table. */
	t.seen = calloc(n, 1);
	CHECK(t.seen, "calloc");
	nfct_callback_register(q, NFCT_T_ALL, table_cb, &t);
	CHECK(nfct_query(q, NFCT_Q_DUMP, &family) == 0, "dump: %s", strerror(errno));
	for (long i = 0; i < n; i++)
		present += t.seen[i];
	printf("flood of %ld: ENOBUFS after %ld events, %ld received in all (%ld lost); "
	       "after the overrun %ld/%d new events; table %ld/%ld\n",
	       n, before, drained, n - drained, t.after, AFTER_COUNT, present, n);
	CHECK(present == n, "the table lacks %ld entries", n - present);
	nfct_close(ev);
	nfct_close(q);
	free(t.seen);
	return 0;
}
