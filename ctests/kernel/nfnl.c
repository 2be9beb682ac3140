/* libnfnetlink's own functions on the handle nfct_nfnlh() returns, as
 * conntrackd and ulogd2 call them, and the fields of libnfnetlink 1.0.x's
 * struct nfnl_handle (offsets worked out by hand for 64-bit Linux: fd 0,
 * local 4, peer 16, subscriptions 28, seq 32, dump 36, rcv_buffer_size 40,
 * flags 44, last_nlhdr 48, subsys[17] of 24 bytes from 56). Also
 * nfct_open_nfnl() over a handle of libnfnetlink's nfnl_open(). */
#include <fcntl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <libnfnetlink/libnfnetlink.h>
#include "common.h"

#define CHECK(what, cond) printf("%s %s\n", (cond) ? "ok" : "FAIL", what)

struct subsys {
	const void *nfnlh;
	uint32_t subscriptions;
	uint8_t subsys_id, cb_count;
	const void *cb;
};

static void layout(const char *name, struct nfct_handle *h, uint32_t groups,
		   int ct, int exp)
{
	const struct nfnl_handle *n = nfct_nfnlh(h);
	const unsigned char *p = (const void *)n;
	const struct sockaddr_nl *local = (const void *)(p + 4);
	const struct sockaddr_nl *peer = (const void *)(p + 16);
	const struct subsys *ss = (const void *)(p + 56);
	struct sockaddr_nl sa;
	socklen_t sl = sizeof(sa);
	int fd = nfct_fd(h);
	uint32_t v;

	printf("%s:\n", name);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	CHECK("nfnl_fd", nfnl_fd((struct nfnl_handle *)n) == fd);
	CHECK("nfnl_portid", nfnl_portid(n) == sa.nl_pid && sa.nl_pid != 0);
	CHECK("fd field", *(const int *)p == fd);
	CHECK("local", local->nl_family == AF_NETLINK &&
	      local->nl_pid == sa.nl_pid && local->nl_groups == groups);
	CHECK("bound groups", sa.nl_groups == groups);
	CHECK("peer", peer->nl_family == AF_NETLINK && peer->nl_pid == 0);
	memcpy(&v, p + 28, 4);
	CHECK("subscriptions", v == groups);
	memcpy(&v, p + 40, 4);
	CHECK("rcv_buffer_size", v == 8192);
	CHECK("subsys[0] unused", ss[0].nfnlh == NULL);
	CHECK("subsys[1]", ct ? ss[1].nfnlh == n && ss[1].subsys_id == 1 &&
	      ss[1].cb_count == 8 && ss[1].subscriptions == groups &&
	      ss[1].cb != NULL : ss[1].nfnlh == NULL);
	CHECK("subsys[2]", exp ? ss[2].nfnlh == n && ss[2].subsys_id == 2 &&
	      ss[2].cb_count == 4 && ss[2].subscriptions == groups &&
	      ss[2].cb != NULL : ss[2].nfnlh == NULL);
	CHECK("subsys[3] unused", ss[3].nfnlh == NULL);
}

static int count_cb(enum nf_conntrack_msg_type t, struct nf_conntrack *ct,
		    void *data)
{
	(void)t; (void)ct;
	++*(int *)data;
	return NFCT_CB_CONTINUE;
}

int main(void)
{
	struct nfct_handle *h;
	struct nfnl_handle *nh;
	unsigned int r;
	int rcv, fd, n = 0;
	socklen_t sl = sizeof(rcv);
	uint32_t family = AF_INET;

	h = nfct_open(NFNL_SUBSYS_NONE, NF_NETLINK_CONNTRACK_NEW |
		      NF_NETLINK_CONNTRACK_DESTROY);
	if (!h) { perror("nfct_open"); return 1; }
	layout("both", h, 5, 1, 1);
	r = nfnl_rcvbufsiz(nfct_nfnlh(h), 1 << 20);
	getsockopt(nfct_fd(h), SOL_SOCKET, SO_RCVBUF, &rcv, &sl);
	printf("nfnl_rcvbufsiz = %u, SO_RCVBUF = %d\n", r, rcv);
	nfct_close(h);

	h = nfct_open(CONNTRACK, 0);
	layout("conntrack", h, 0, 1, 0);
	nfct_close(h);
	h = nfct_open(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW);
	layout("expect", h, 8, 0, 1);
	nfct_close(h);
	h = nfct_open(7, NF_NETLINK_CONNTRACK_NEW);
	printf("subsys 7: %s\n", h ? "handle" : "NULL");
	if (h) {
		layout("none", h, 0, 0, 0);
		nfct_close(h);
	}

	nh = nfnl_open();
	if (!nh) { perror("nfnl_open"); return 1; }
	fd = nfnl_fd(nh);
	h = nfct_open_nfnl(nh, CONNTRACK, NF_NETLINK_CONNTRACK_NEW);
	CHECK("open_nfnl", h != NULL);
	CHECK("open_nfnl nfnlh", nfct_nfnlh(h) == nh);
	CHECK("open_nfnl fd", nfct_fd(h) == fd);
	{
		struct sockaddr_nl sa;
		socklen_t l = sizeof(sa);
		getsockname(fd, (struct sockaddr *)&sa, &l);
		CHECK("open_nfnl groups", sa.nl_groups == NF_NETLINK_CONNTRACK_NEW);
	}
	nfct_callback_register(h, NFCT_T_ALL, count_cb, &n);
	SHOW("open_nfnl dump", nfct_query(h, NFCT_Q_DUMP, &family));
	printf("entries %d\n", n);
	SHOW("close open_nfnl", nfct_close(h));
	CHECK("socket closed", fcntl(fd, F_GETFD) == -1 && errno == EBADF);
	return 0;
}
