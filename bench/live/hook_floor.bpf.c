/* hook_floor.bpf.c: the cheapest thing an eBPF syscall monitor can attach, an empty program
 * on the sys_exit tracepoint. live_bench measures its workloads with this attached (mode
 * "hook") to show what the hook itself costs on the machine, apart from any driver's work:
 * the tracepoint's slow syscall path, the call into the program, its return. Falco 0.43's
 * modern probe attaches one sys_exit dispatcher as well (its sys_enter dispatcher is gone),
 * so the same floor is under its figures. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(hook_floor_sys_exit, struct pt_regs *regs, long ret) { return 0; }
