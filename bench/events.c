/* Event intake of an nfct_catch listener, in a namespace of its own.
 *
 *   events drain N   N entries created then flushed while the listener's
 *                    socket (receive buffer forced to 1 GiB) only queues
 *                    the 2N events; then nfct_catch drains them, timed.
 *   events rawdrain N  the same, drained by plain recv() calls that only
 *                    count the messages: the kernel's share, the limit for
 *                    any library.
 *   events loss N    a child process creates and flushes N entries at full
 *                    speed while the listener, with the default receive
 *                    buffer, catches what it can; counts what it lost.
 *
 * The listener's socket is non-blocking: nfct_catch returns with EAGAIN
 * when the queue is empty (ENOBUFS after an overrun; both are counted and
 * the loop goes on). */
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "common.h"

static unsigned long events;

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	(void)ct;
	(void)data;
	events++;
	return NFCT_CB_CONTINUE;
}

/* Reads datagrams until the queue is empty, counting their messages. */
static void recv_all(int fd)
{
	static char buf[65536];
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		int len = (int)r;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			events++;
	}
}

/* Catches until the queue stays empty for `idle_ms`; returns overruns. */
static unsigned long catch_all(struct nfct_handle *h, int idle_ms)
{
	struct pollfd p = { .fd = nfct_fd(h), .events = POLLIN };
	unsigned long overruns = 0;

	for (;;) {
		if (nfct_catch(h) < 0) {
			if (errno == ENOBUFS)
				overruns++;
			else if (errno != EAGAIN) {
				perror("nfct_catch");
				exit(1);
			}
		}
		if (poll(&p, 1, idle_ms) == 0)
			return overruns;
	}
}

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct mnl_socket *nl;
	uint32_t n;
	int drain, raw;

	if (argc != 3 ||
	    (strcmp(argv[1], "drain") && strcmp(argv[1], "rawdrain") && strcmp(argv[1], "loss"))) {
		fprintf(stderr, "usage: %s drain|rawdrain|loss N\n", argv[0]);
		return 2;
	}
	raw = !strcmp(argv[1], "rawdrain");
	drain = raw || !strcmp(argv[1], "drain");
	n = strtoul(argv[2], NULL, 0);
	h = nfct_open(CONNTRACK, NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_DESTROY);
	if (!h) {
		perror("nfct_open");
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, cb, NULL);
	fcntl(nfct_fd(h), F_SETFL, O_NONBLOCK);
	if (drain) {
		int size = 1 << 30;
		double t0, t1;
		unsigned long over;

		setsockopt(nfct_fd(h), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
		nl = open_nl();
		if (create_entries(nl, 0, n, 0)) {
			fprintf(stderr, "events: the kernel refused entries\n");
			return 1;
		}
		flush_table(nl);
		mnl_socket_close(nl);
		t0 = now_s();
		if (raw) {
			recv_all(nfct_fd(h));
			over = 0;
		} else {
			over = catch_all(h, 0);
		}
		t1 = now_s();
		printf("events %lu expected %u overruns %lu secs %.6f rate %.0f\n", events, 2 * n,
		       over, t1 - t0, events / (t1 - t0));
	} else {
		pid_t pid = fork();
		unsigned long over;

		if (pid == 0) {
			nl = open_nl();
			create_entries(nl, 0, n, 0);
			flush_table(nl);
			_exit(0);
		}
		over = catch_all(h, 500);
		waitpid(pid, NULL, 0);
		over += catch_all(h, 200);
		printf("events %lu expected %u lost %lu overruns %lu\n", events, 2 * n,
		       2 * n - events, over);
	}
	nfct_close(h);
	return 0;
}
