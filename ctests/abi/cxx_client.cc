// A C++ client the way iptstate and squid use the library. C++ does not
// convert an int to an enum, so this compiles only if the alias names
// (ATTR_IPV4_SRC, ATTR_PORT_DST, TCP_CONNTRACK_SYN_SENT2, ...) and the
// enumerators have the enum types the functions expect.
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

namespace {

int failures;

void check(bool ok, const char *what, int line)
{
	if (!ok) {
		std::fprintf(stderr, "cxx_client.cc:%d: %s\n", line, what);
		failures++;
	}
}
#define CHECK(cond) check((cond), #cond, __LINE__)

// iptstate: name a TCP state.
const char *tcp_state_name(uint8_t state)
{
	switch (static_cast<tcp_state>(state)) {
	case TCP_CONNTRACK_NONE: return "NONE";
	case TCP_CONNTRACK_SYN_SENT: return "SYN_SENT";
	case TCP_CONNTRACK_SYN_RECV: return "SYN_RECV";
	case TCP_CONNTRACK_ESTABLISHED: return "ESTABLISHED";
	case TCP_CONNTRACK_FIN_WAIT: return "FIN_WAIT";
	case TCP_CONNTRACK_CLOSE_WAIT: return "CLOSE_WAIT";
	case TCP_CONNTRACK_LAST_ACK: return "LAST_ACK";
	case TCP_CONNTRACK_TIME_WAIT: return "TIME_WAIT";
	case TCP_CONNTRACK_CLOSE: return "CLOSE";
	case TCP_CONNTRACK_SYN_SENT2: return "SYN_SENT2";
	default: return "?";
	}
}

struct lookup {
	uint32_t nat_dst;
	uint16_t nat_port;
	unsigned int entries;
};

// squid: read the reply tuple of the entry it asked for.
int squid_cb(enum nf_conntrack_msg_type, struct nf_conntrack *ct, void *data)
{
	lookup *l = static_cast<lookup *>(data);
	l->nat_dst = nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC);
	l->nat_port = nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC);
	return NFCT_CB_CONTINUE;
}

// iptstate: count what a dump returns.
int iptstate_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	lookup *l = static_cast<lookup *>(data);
	char buf[256];
	if (nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) == IPPROTO_TCP)
		(void)tcp_state_name(nfct_get_attr_u8(ct, ATTR_TCP_STATE));
	nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_PLAIN, NFCT_OF_SHOW_LAYER3);
	l->entries++;
	return NFCT_CB_CONTINUE;
}

nf_conntrack *squid_tuple()
{
	nf_conntrack *ct = nfct_new();
	if (!ct)
		return nullptr;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("192.0.2.1"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("192.0.2.2"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(50000));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(3128));
	return ct;
}

void objects()
{
	static const enum nf_conntrack_attr tuple[] = {
		ATTR_L3PROTO, ATTR_IPV4_SRC, ATTR_IPV4_DST,
		ATTR_L4PROTO, ATTR_PORT_SRC, ATTR_PORT_DST,
	};
	nf_conntrack *ct = squid_tuple();
	CHECK(ct != nullptr);
	if (!ct)
		return;
	CHECK(nfct_attr_is_set_array(ct, tuple, 6) == 1);
	CHECK(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST) == htons(3128));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_SYN_SENT2);
	CHECK(std::strcmp(tcp_state_name(nfct_get_attr_u8(ct, ATTR_TCP_STATE)),
			  "SYN_SENT2") == 0);

	nfct_attr_grp_port ports = { htons(1), htons(2) };
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_PORT, &ports);
	nfct_attr_grp_port back = {};
	CHECK(nfct_get_attr_grp(ct, ATTR_GRP_ORIG_PORT, &back) == 0);
	CHECK(back.sport == htons(1) && back.dport == htons(2));

	nf_expect *exp = nfexp_new();
	CHECK(exp != nullptr);
	if (exp) {
		nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 10);
		CHECK(nfexp_get_attr_u32(exp, ATTR_EXP_TIMEOUT) == 10);
		nfexp_destroy(exp);
	}

	nfct_filter_dump *fd = nfct_filter_dump_create();
	CHECK(fd != nullptr);
	if (fd) {
		nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, AF_INET);
		nfct_filter_dump_set_attr_u16(fd, NFCT_FILTER_DUMP_ZONE, 1);
		nfct_filter_dump_destroy(fd);
	}
	nfct_destroy(ct);
}

void kernel()
{
	nfct_handle *h = nfct_open(CONNTRACK, 0);
	if (!h) {
		std::printf("cxx_client: cannot open ctnetlink (%s); skipped\n",
			    std::strerror(errno));
		return;
	}
	lookup l = {};
	nf_conntrack *ct = squid_tuple();
	CHECK(nfct_callback_register(h, NFCT_T_ALL, squid_cb, &l) == 0);
	if (ct) {
		int ret = nfct_query(h, NFCT_Q_GET, ct);
		CHECK(ret == 0 || (ret == -1 && errno != 0));
		nfct_destroy(ct);
	}
	nfct_callback_unregister(h);

	uint32_t family = AF_INET;
	CHECK(nfct_callback_register(h, NFCT_T_ALL, iptstate_cb, &l) == 0);
	int ret = nfct_query(h, NFCT_Q_DUMP, &family);
	CHECK(ret == 0 || (ret == -1 && errno != 0));
	nfct_callback_unregister(h);

	nf_conntrack_query q = NFCT_Q_FLUSH_FILTER;
	(void)q;
	CHECK(nfct_close(h) == 0);
}

} // namespace

int main()
{
	objects();
	kernel();
	if (failures)
		std::fprintf(stderr, "cxx_client: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
