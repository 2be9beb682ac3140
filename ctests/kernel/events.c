/* Events: nfct_catch on a handle subscribed to the conntrack groups while
 * another handle changes the table; each verdict, type masks, the
 * callback with the netlink header, events arriving during a query, a
 * receive buffer overrun (ENOBUFS, then the handle goes on), a signal
 * during the wait, and a non-blocking socket. Run in a fresh network
 * namespace; alarm() bounds every wait. */
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "common.h"

static struct nfct_handle *q;	/* makes the changes */
static int stop_port;		/* STOP on the destroy of this port */
static int verdict = NFCT_CB_CONTINUE;
static int quiet, counted;

static struct nf_conntrack *flow(int sport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	set_addr4(ct, ATTR_IPV4_SRC, "192.0.2.1");
	set_addr4(ct, ATTR_IPV4_DST, "192.0.2.2");
	set_addr4(ct, ATTR_REPL_IPV4_SRC, "192.0.2.2");
	set_addr4(ct, ATTR_REPL_IPV4_DST, "192.0.2.1");
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(53));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(sport));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 1000);
	return ct;
}

static void change(struct nfct_handle *h, int q_type, int sport, uint32_t mark)
{
	struct nf_conntrack *ct = flow(sport);
	int r;

	if (mark)
		nfct_set_attr_u32(ct, ATTR_MARK, mark);
	r = nfct_query(h, q_type, ct);
	if (r < 0)
		printf("change %d port %d: %s\n", q_type, sport, strerror(errno));
	nfct_destroy(ct);
}

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	char buf[1024];

	(void)data;
	counted++;
	if (!quiet) {
		ct_text(buf, sizeof(buf), ct, type);
		printf("  %s\n", buf);
	}
	if (type == NFCT_T_DESTROY &&
	    ntohs(nfct_get_attr_u16(ct, ATTR_PORT_SRC)) == stop_port)
		return NFCT_CB_STOP;
	if (verdict == NFCT_CB_FAILURE)
		errno = ENOTTY;
	return verdict;
}

static int cb2(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
	       struct nf_conntrack *ct, void *data)
{
	printf("  nlmsg type %#x flags %#x seq %u\n", nlh->nlmsg_type,
	       nlh->nlmsg_flags, nlh->nlmsg_seq);
	return cb(type, ct, data);
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

int main(void)
{
	struct nfct_handle *ev;
	struct nf_conntrack *ct;
	int rcv = 1, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(30);
	q = nfct_open(CONNTRACK, 0);
	ev = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	if (!q || !ev) { perror("nfct_open"); return 1; }
	SHOW("register", nfct_callback_register(ev, NFCT_T_ALL, cb, NULL));

	printf("== new, update, destroy\n");
	change(q, NFCT_Q_CREATE, 1, 0);
	change(q, NFCT_Q_UPDATE, 1, 5);
	change(q, NFCT_Q_DESTROY, 1, 0);
	stop_port = 1;
	SHOW("catch", nfct_catch(ev));

	printf("== destroy only\n");
	nfct_callback_register(ev, NFCT_T_DESTROY, cb, NULL);
	change(q, NFCT_Q_CREATE, 2, 0);
	change(q, NFCT_Q_UPDATE, 2, 6);
	change(q, NFCT_Q_DESTROY, 2, 0);
	stop_port = 2;
	SHOW("catch", nfct_catch(ev));

	printf("== failure\n");
	nfct_callback_register(ev, NFCT_T_ALL, cb, NULL);
	verdict = NFCT_CB_FAILURE;
	change(q, NFCT_Q_CREATE, 3, 0);
	SHOW("catch", nfct_catch(ev));
	verdict = NFCT_CB_CONTINUE;
	change(q, NFCT_Q_DESTROY, 3, 0);
	stop_port = 3;
	SHOW("catch", nfct_catch(ev));

	printf("== callback with header\n");
	nfct_callback_unregister(ev);
	nfct_callback_register2(ev, NFCT_T_ALL, cb2, NULL);
	change(q, NFCT_Q_CREATE, 4, 0);
	change(q, NFCT_Q_UPDATE, 4, 7);
	change(q, NFCT_Q_DESTROY, 4, 0);
	stop_port = 4;
	SHOW("catch", nfct_catch(ev));
	nfct_callback_unregister2(ev);
	nfct_callback_register(ev, NFCT_T_ALL, cb, NULL);

	printf("== events during a query\n");
	change(q, NFCT_Q_CREATE, 5, 0);
	ct = flow(5);
	SHOW("get on the event handle", nfct_query(ev, NFCT_Q_GET, ct));
	change(q, NFCT_Q_DESTROY, 5, 0);
	stop_port = 5;
	SHOW("catch", nfct_catch(ev));
	nfct_destroy(ct);

	printf("== overrun\n");
	fd = nfct_fd(ev);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	for (int p = 1000; p < 1300; p++)
		change(q, NFCT_Q_CREATE, p, 0);
	quiet = 1;
	SHOW("catch", nfct_catch(ev));
	rcv = 1 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* The kernel drops events until the queue has been read empty. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (nfct_catch(ev) == 0 || errno != EAGAIN)
		;
	printf("queue read empty: %s\n", strerror(errno));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	change(q, NFCT_Q_CREATE, 9, 0);
	change(q, NFCT_Q_DESTROY, 9, 0);
	stop_port = 9;
	SHOW("catch after overrun", nfct_catch(ev));
	quiet = 0;
	{
		uint32_t family = AF_INET;
		SHOW("flush", nfct_query(q, NFCT_Q_FLUSH, &family));
		/* Drain the flush's destroy events. */
		quiet = 1;
		change(q, NFCT_Q_CREATE, 10, 0);
		change(q, NFCT_Q_DESTROY, 10, 0);
		stop_port = 10;
		SHOW("catch flush events", nfct_catch(ev));
		quiet = 0;
	}

	printf("== signal while waiting\n");
	{
		struct sigaction sa;
		pid_t child;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;	/* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
		child = fork();
		if (child == 0) {
			struct nfct_handle *c = nfct_open(CONNTRACK, 0);
			usleep(300000);
			kill(getppid(), SIGUSR1);
			usleep(300000);
			change(c, NFCT_Q_CREATE, 11, 0);
			change(c, NFCT_Q_DESTROY, 11, 0);
			nfct_close(c);
			_exit(0);
		}
		stop_port = 11;
		SHOW("catch", nfct_catch(ev));
		printf("signal seen: %d\n", got_signal);
		waitpid(child, NULL, 0);
	}

	printf("== non-blocking\n");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	SHOW("catch", nfct_catch(ev));
	change(q, NFCT_Q_CREATE, 12, 0);
	SHOW("catch", nfct_catch(ev));

	SHOW("close", nfct_close(ev));
	SHOW("close", nfct_close(q));
	return 0;
}
