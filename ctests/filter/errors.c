/* Return values and errno of the filter API. With argument "null" it also
 * checks NULL handling, where the original asserts or crashes. Prints
 * nothing and exits 0 when every check holds. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static int failures;

#define CHECK(cond) do { if (!(cond)) { \
	printf("%s:%d: check failed: %s (errno %d)\n", __FILE__, __LINE__, #cond, errno); \
	failures++; } } while (0)

int main(int argc, char *argv[])
{
	struct nfct_filter *f = nfct_filter_create();
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	int nulls = argc > 1 && !strcmp(argv[1], "null");

	CHECK(f != NULL && fd >= 0);

	errno = 0;
	CHECK(nfct_filter_set_logic(f, 100, NFCT_FILTER_LOGIC_NEGATIVE) == -1);
	CHECK(errno == ENOTSUP);
	CHECK(nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_POSITIVE) == 0);
	CHECK(nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE) == 0);
	errno = 0;
	CHECK(nfct_filter_set_logic(f, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_POSITIVE) == -1);
	CHECK(errno == EBUSY);

	/* Unknown attribute types are ignored. */
	nfct_filter_add_attr_u32(f, 100, 6);
	CHECK(nfct_filter_attach(fd, f) == 0);
	CHECK(nfct_filter_detach(fd) == 0);
	errno = 0;
	CHECK(nfct_filter_detach(fd) == -1);
	CHECK(errno == ENOENT);
	errno = 0;
	CHECK(nfct_filter_attach(-1, f) == -1);
	CHECK(errno == EBADF);
	nfct_filter_destroy(f);

	if (nulls) {
		struct nfct_filter_dump *d = nfct_filter_dump_create();
		char buf[64] = { 0 };

		errno = 0;
		CHECK(nfct_filter_set_logic(NULL, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_NEGATIVE) == -1);
		CHECK(errno == EINVAL);
		errno = 0;
		CHECK(nfct_filter_set_logic(NULL, 100, NFCT_FILTER_LOGIC_NEGATIVE) == -1);
		CHECK(errno == ENOTSUP);
		errno = 0;
		CHECK(nfct_filter_attach(fd, NULL) == -1);
		CHECK(errno == EINVAL);
		nfct_filter_add_attr(NULL, NFCT_FILTER_MARK, buf);
		nfct_filter_add_attr_u32(NULL, NFCT_FILTER_L4PROTO, 6);
		nfct_filter_destroy(NULL);
		nfct_filter_dump_set_attr(d, NFCT_FILTER_DUMP_MARK, NULL);
		nfct_filter_dump_set_attr(NULL, NFCT_FILTER_DUMP_MARK, buf);
		nfct_filter_dump_set_attr_u8(NULL, NFCT_FILTER_DUMP_L3NUM, 2);
		errno = 0;
		CHECK(nfct_nlmsg_build_filter(NULL, d) == -1);
		CHECK(errno == EINVAL);
		errno = 0;
		CHECK(nfct_nlmsg_build_filter((struct nlmsghdr *)buf, NULL) == -1);
		CHECK(errno == EINVAL);
		nfct_filter_dump_destroy(NULL);
		nfct_filter_dump_destroy(d);
	}
	close(fd);
	return failures != 0;
}
