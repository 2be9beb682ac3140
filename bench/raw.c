/* The raw limit: the same dump as dump.c read over a plain netlink socket
 * (libmnl) with a 32 KiB buffer, counting messages and nothing else.
 * Usage: raw */
#include "common.h"

int main(void)
{
	static char buf[32768];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	struct mnl_socket *nl = open_nl();
	unsigned long entries = 0;
	double t0, t1;
	int done = 0;

	t0 = now_s();
	put_msg(b, IPCTNL_MSG_CT_GET, NLM_F_DUMP, NULL);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0) {
		perror("sendto");
		return 1;
	}
	mnl_nlmsg_batch_stop(b);
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = n;

		if (n < 0) {
			perror("recv");
			return 1;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			entries++;
		}
	}
	t1 = now_s();
	mnl_socket_close(nl);
	printf("entries %lu secs %.6f rate %.0f\n", entries, t1 - t0, entries / (t1 - t0));
	return 0;
}
