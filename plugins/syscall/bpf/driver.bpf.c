/* driver.bpf.c: saker's eBPF driver, one object with every program. The programs live one
 * family per file in programs/ and share helpers/; they are compiled together here (one
 * translation unit) so that maps and the read-only configuration exist once. CO-RE: built
 * against the build machine's BTF (vmlinux.h), relocated at load time to the running
 * kernel's BTF; no kernel headers are needed. */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers/args.h"
#include "helpers/event.h"
#include "helpers/fixed.h"
#include "helpers/flags.h"
#include "helpers/path.h"
#include "helpers/process.h"
#include "helpers/sockets.h"
#include "helpers/task.h"

#include "programs/fixed.bpf.c"
#include "programs/dispatch.bpf.c"
#include "programs/spec.bpf.c"
#include "programs/process.bpf.c"
#include "programs/open.bpf.c"
#include "programs/net.bpf.c"

char LICENSE[] SEC("license") = "GPL";
