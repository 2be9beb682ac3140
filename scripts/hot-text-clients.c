/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A workload for scripts/hot-text.sh: what the library's known clients
 * (iptstate, flowtop, conntrackd, ulogd2; ../shared/abi/clients.md) call
 * besides dumping and formatting. A dump whose callback reads entries
 * through the getters and copies and compares them, then an event
 * listener with a kernel filter attached whose callback does the same
 * while another handle creates and deletes entries.
 * Built against the original's installed header, with bench/common.h.
 * Usage: hot-text-clients N (entries created for the events) */
#include <poll.h>
#include "common.h"

static unsigned long sink;
static struct nf_conntrack *kept;

static int read_entry(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)data;
	sink += type;
	sink += nfct_get_attr_u8(ct, ATTR_L3PROTO) + nfct_get_attr_u8(ct, ATTR_L4PROTO);
	sink += nfct_get_attr_u16(ct, ATTR_PORT_SRC) + nfct_get_attr_u16(ct, ATTR_PORT_DST);
	sink += nfct_get_attr_u32(ct, ATTR_MARK) + nfct_get_attr_u32(ct, ATTR_TIMEOUT);
	sink += nfct_get_attr_u32(ct, ATTR_STATUS) + nfct_get_attr_u32(ct, ATTR_ID);
	sink += nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES);
	sink += nfct_get_attr(ct, ATTR_ORIG_IPV4_SRC) != NULL;
	sink += nfct_get_attr(ct, ATTR_ORIG_IPV6_SRC) != NULL;
	sink += nfct_attr_is_set(ct, ATTR_ZONE) > 0;
	nfct_copy(kept, ct, NFCT_CP_OVERRIDE);
	sink += nfct_cmp(kept, ct, NFCT_CMP_ALL);
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100, family = AF_UNSPEC;
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	struct nfct_handle *ev = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	struct nfct_filter *filter = nfct_filter_create();
	struct pollfd p;

	kept = nfct_new();
	if (!h || !ev || !filter || !kept) {
		perror("hot-text-clients");
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, read_entry, NULL);
	if (nfct_query(h, NFCT_Q_DUMP, &family) < 0) {
		perror("dump");
		return 1;
	}

	nfct_filter_add_attr_u32(filter, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	nfct_filter_add_attr_u32(filter, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	nfct_filter_set_logic(filter, NFCT_FILTER_L4PROTO, NFCT_FILTER_LOGIC_POSITIVE);
	if (nfct_filter_attach(nfct_fd(ev), filter) < 0) {
		perror("filter");
		return 1;
	}
	nfct_filter_destroy(filter);
	nfct_callback_register(ev, NFCT_T_ALL, read_entry, NULL);

	for (uint32_t i = 0; i < n; i++) {
		struct nf_conntrack *ct = bench_ct(i, 0x200000);

		if (nfct_query(h, NFCT_Q_CREATE, ct) < 0 || nfct_query(h, NFCT_Q_DESTROY, ct) < 0) {
			perror("create/destroy");
			return 1;
		}
		nfct_destroy(ct);
	}
	/* Non-blocking: nfct_catch takes what is queued and returns with
	 * EAGAIN; the queue is done when poll times out. */
	p.fd = nfct_fd(ev);
	p.events = POLLIN;
	fcntl(p.fd, F_SETFL, fcntl(p.fd, F_GETFL) | O_NONBLOCK);
	while (poll(&p, 1, 200) > 0) {
		if (nfct_catch(ev) < 0 && errno != EAGAIN) {
			perror("catch");
			return 1;
		}
	}
	if (nfct_nfnlh(ev) == NULL)
		return 1;
	nfct_destroy(kept);
	nfct_close(ev);
	nfct_close(h);
	printf("entries %u sink %lu\n", n, sink);
	return 0;
}
