//! Facts about the linked x86-64 code that let the layout drop bytes, decoded with iced-x86.
//! Each answer is conservative: when in doubt, nothing is dropped.

use iced_x86::{Decoder, DecoderOptions, Mnemonic, OpKind, Register};

fn decode(code: &[u8], ip: u64) -> Option<Vec<iced_x86::Instruction>> {
    decode_in(64, code, ip)
}

/// `code` decoded as `bitness`-bit x86 code (64 or 32), or `None` when any of it is invalid.
fn decode_in(bitness: u32, code: &[u8], ip: u64) -> Option<Vec<iced_x86::Instruction>> {
    let all: Vec<_> = Decoder::with_ip(bitness, code, ip, DecoderOptions::NONE)
        .iter()
        .collect();
    all.iter().all(|i| !i.is_invalid()).then_some(all)
}

/// Whether the function `code` (at `ip`) can run with any stack alignment: it calls nothing,
/// jumps nowhere outside itself, and touches the stack only with `push`/`pop` (alignment only
/// matters to aligned SSE accesses and to callees, which assume the ABI's alignment). Then the
/// entry point need not realign the stack for it.
pub fn alignment_free(code: &[u8], ip: u64) -> bool {
    alignment_free_in(64, code, ip)
}

/// [`alignment_free`] for `bitness`-bit x86 code (64: x86-64, 32: x86). In 32-bit code a
/// `call` to the next instruction is the position-independent code's way to read its own
/// address (`call 1f; 1: pop eax`): a push, not a call.
pub fn alignment_free_in(bitness: u32, code: &[u8], ip: u64) -> bool {
    let Some(insns) = decode_in(bitness, code, ip) else {
        return false;
    };
    let end = ip + code.len() as u64;
    insns.iter().all(|i| {
        let stack_memory = (0..i.op_count()).any(|n| {
            i.op_kind(n) == OpKind::Memory
                && matches!(
                    i.memory_base(),
                    Register::RSP | Register::RBP | Register::ESP | Register::EBP
                )
        });
        let near = matches!(
            i.op0_kind(),
            OpKind::NearBranch64 | OpKind::NearBranch32 | OpKind::NearBranch16
        );
        let leaves = near && !(ip..end).contains(&i.near_branch_target());
        let indirect_jump = i.mnemonic() == Mnemonic::Jmp && !near;
        let reads_ip = bitness == 32
            && i.mnemonic() == Mnemonic::Call
            && near
            && i.near_branch_target() == i.next_ip();
        let push_pop = matches!(i.mnemonic(), Mnemonic::Push | Mnemonic::Pop);
        (i.mnemonic() != Mnemonic::Call || reads_ip)
            && !leaves
            && !indirect_jump
            && (push_pop || !stack_memory)
    })
}

/// The callee-saved registers of the x86-64 System V ABI.
const CALLEE_SAVED: [Register; 6] = [
    Register::RBX,
    Register::RBP,
    Register::R12,
    Register::R13,
    Register::R14,
    Register::R15,
];

/// The other 64-bit general registers (not the stack pointer). LLVM pushes one of them after
/// the saves (`push rax`) to keep the stack aligned, in place of `sub rsp, 8`: the pushed value
/// is as unread as the saved ones, and nothing else may lie in that slot (an access to it is a
/// stack access outside any frame, which makes the pushes stay).
const SCRATCH: [Register; 9] = [
    Register::RAX,
    Register::RCX,
    Register::RDX,
    Register::RSI,
    Register::RDI,
    Register::R8,
    Register::R9,
    Register::R10,
    Register::R11,
];

/// The widest memory access one instruction makes (an AVX-512 register), for the bound on
/// stack accesses below.
const WIDEST_ACCESS: u64 = 64;

/// The pushes that open a function which never returns, when what they save is never read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnreadSaves {
    /// Their length in bytes.
    pub len: usize,
    /// How many there are (each moves the stack pointer by 8).
    pub count: usize,
}

fn is_stack_pointer(r: Register) -> bool {
    matches!(
        r,
        Register::RSP | Register::ESP | Register::SP | Register::SPL
    )
}

/// For the entry function `code` (at `ip`), which is never returned to: the pushes of
/// callee-saved registers it starts with (the C ABI makes LLVM save them), and of a scratch
/// register that only moves the stack pointer for alignment, when nothing reads the pushed
/// values back, so that the function can as well start right after them.
///
/// Conservative: `None` unless the code returns nowhere (no `ret`, `leave`, jump out of it or
/// indirect jump), its only other pushes and pops are `push x; pop y` pairs (how LLVM loads a
/// small constant), and the stack pointer appears in no operand except as the base of memory
/// operands that stay inside the frame that an optional `sub rsp, N` right after the pushes
/// allocates (which holds LLVM's locals; the saved registers lie above it). The stack then
/// keeps its layout below the pushes; only its alignment changes, by 8 per push left out (the
/// caller accounts for that).
pub fn unread_saves(code: &[u8], ip: u64) -> Option<UnreadSaves> {
    let insns = decode(code, ip)?;
    let count = insns
        .iter()
        .take_while(|i| {
            i.mnemonic() == Mnemonic::Push
                && i.op0_kind() == OpKind::Register
                && (CALLEE_SAVED.contains(&i.op0_register()) || SCRATCH.contains(&i.op0_register()))
        })
        .count();
    if count == 0 {
        return None;
    }
    let len = insns[..count].iter().map(|i| i.len()).sum();
    let mut body = &insns[count..];
    let mut frame = 0;
    if let Some(i) = body.first()
        && i.mnemonic() == Mnemonic::Sub
        && i.op0_kind() == OpKind::Register
        && i.op0_register() == Register::RSP
        && matches!(
            i.op1_kind(),
            OpKind::Immediate8to64 | OpKind::Immediate32to64
        )
    {
        frame = i.immediate(1);
        body = &body[1..];
    }
    let end = ip + code.len() as u64;
    for (n, i) in body.iter().enumerate() {
        let leaves = match i.mnemonic() {
            Mnemonic::Ret | Mnemonic::Retf | Mnemonic::Leave | Mnemonic::Enter => true,
            Mnemonic::Iret | Mnemonic::Iretd | Mnemonic::Iretq => true,
            Mnemonic::Call => false,
            _ => match i.op0_kind() {
                OpKind::NearBranch64 => !(ip..end).contains(&i.near_branch_target()),
                _ => i.mnemonic() == Mnemonic::Jmp,
            },
        };
        let paired = match i.mnemonic() {
            Mnemonic::Push => body
                .get(n + 1)
                .is_some_and(|j| j.mnemonic() == Mnemonic::Pop),
            Mnemonic::Pop => n > 0 && body[n - 1].mnemonic() == Mnemonic::Push,
            Mnemonic::Pushf | Mnemonic::Pushfq | Mnemonic::Popf | Mnemonic::Popfq => false,
            _ => true,
        };
        if leaves || !paired {
            return None;
        }
        for op in 0..i.op_count() {
            let outside = match i.op_kind(op) {
                OpKind::Register => is_stack_pointer(i.op_register(op)),
                OpKind::Memory => {
                    is_stack_pointer(i.memory_index())
                        || is_stack_pointer(i.memory_base())
                            && i.memory_displacement64().saturating_add(WIDEST_ACCESS) > frame
                }
                _ => false,
            };
            if outside {
                return None;
            }
        }
    }
    Some(UnreadSaves { len, count })
}

/// If `code` (at `ip`) ends with a `ud2` that no branch in it targets — the trap LLVM puts
/// after a call that never returns, such as the final `exit` system call — its length: those
/// bytes are never run, so the next piece may lie over them, and at the end of the file they
/// can go (what follows the file reads as zeros and is never reached).
pub fn trailing_trap(code: &[u8], ip: u64) -> Option<usize> {
    trailing_trap_in(64, code, ip)
}

/// [`trailing_trap`] for `bitness`-bit x86 code (64: x86-64, 32: x86).
pub fn trailing_trap_in(bitness: u32, code: &[u8], ip: u64) -> Option<usize> {
    let insns = decode_in(bitness, code, ip)?;
    let last = insns.last()?;
    if last.mnemonic() != Mnemonic::Ud2 {
        return None;
    }
    let targeted = insns.iter().any(|i| {
        matches!(
            i.op0_kind(),
            OpKind::NearBranch64 | OpKind::NearBranch32 | OpKind::NearBranch16
        ) && i.near_branch_target() == last.ip()
    });
    (!targeted).then_some(last.len())
}

/// AArch64's `brk #1`, the trap LLVM puts after a call that never returns.
const A64_TRAP: u32 = 0xD420_0020;

/// [`trailing_trap`] for AArch64 code: `code` ends with `brk #1` and no direct branch in it
/// (`b`, `bl`, `b.cond`, `cbz`/`cbnz`, `tbz`/`tbnz`) targets it. AArch64 code has no literal
/// pools in it (LLVM keeps constants in `.rodata`), so every word is an instruction.
pub fn trailing_trap_a64(code: &[u8]) -> Option<usize> {
    if !code.len().is_multiple_of(4) || code.len() < 4 {
        return None;
    }
    let words: Vec<u32> = code
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    let last = words.len() - 1;
    if words[last] != A64_TRAP {
        return None;
    }
    // the signed word offset of a direct branch, from its immediate of `bits` bits at `shift`
    let offset = |w: u32, shift: u32, bits: u32| {
        let imm = (w >> shift) & ((1 << bits) - 1);
        i64::from(imm) - if imm >> (bits - 1) != 0 { 1 << bits } else { 0 }
    };
    let targeted = words.iter().enumerate().any(|(i, &w)| {
        let off = if w & 0x7C00_0000 == 0x1400_0000 {
            offset(w, 0, 26) // b, bl
        } else if w & 0xFF00_0010 == 0x5400_0000 || w & 0x7E00_0000 == 0x3400_0000 {
            offset(w, 5, 19) // b.cond; cbz, cbnz
        } else if w & 0x7E00_0000 == 0x3600_0000 {
            offset(w, 5, 14) // tbz, tbnz
        } else {
            return false;
        };
        i as i64 + off == last as i64
    });
    (!targeted).then_some(4)
}

/// [`trailing_trap`] for RISC-V code (`rv64gc`, with compressed instructions): `code` ends
/// with `c.unimp` (two zero bytes, the trap LLVM puts there) and no direct branch in it (`jal`,
/// the conditional branches, `c.j`, `c.beqz`, `c.bnez`) targets it. Instructions are walked by
/// their length (16 bits unless the low two bits are both set); there are no literal pools.
pub fn trailing_trap_rv64(code: &[u8]) -> Option<usize> {
    let end = code.len().checked_sub(2)?;
    if code[end..] != [0, 0] {
        return None;
    }
    let sign =
        |imm: u32, bits: u32| i64::from(imm) - if imm >> (bits - 1) != 0 { 1 << bits } else { 0 };
    let bit = |w: u32, from: u32, to: u32| ((w >> from) & 1) << to;
    let mut at = 0;
    while at < end {
        let half = u32::from(u16::from_le_bytes([code[at], code[at + 1]]));
        let (len, offset) = if half & 3 == 3 {
            let word = half
                | u32::from(u16::from_le_bytes([*code.get(at + 2)?, *code.get(at + 3)?])) << 16;
            let offset = match word & 0x7f {
                // jal: imm[20|10:1|11|19:12]
                0x6f => Some(sign(
                    bit(word, 31, 20)
                        | (word >> 21 & 0x3ff) << 1
                        | bit(word, 20, 11)
                        | (word >> 12 & 0xff) << 12,
                    21,
                )),
                // beq … bgeu: imm[12|10:5] … imm[4:1|11]
                0x63 => Some(sign(
                    bit(word, 31, 12)
                        | (word >> 25 & 0x3f) << 5
                        | (word >> 8 & 0xf) << 1
                        | bit(word, 7, 11),
                    13,
                )),
                _ => None,
            };
            (4, offset)
        } else {
            let offset = match (half >> 13, half & 3) {
                // c.j: imm[11|4|9:8|10|6|7|3:1|5]
                (0b101, 1) => Some(sign(
                    bit(half, 12, 11)
                        | bit(half, 11, 4)
                        | (half >> 9 & 3) << 8
                        | bit(half, 8, 10)
                        | bit(half, 7, 6)
                        | bit(half, 6, 7)
                        | (half >> 3 & 7) << 1
                        | bit(half, 2, 5),
                    12,
                )),
                // c.beqz, c.bnez: imm[8|4:3] … imm[7:6|2:1|5]
                (0b110 | 0b111, 1) => Some(sign(
                    bit(half, 12, 8)
                        | (half >> 10 & 3) << 3
                        | (half >> 5 & 3) << 6
                        | (half >> 3 & 3) << 1
                        | bit(half, 2, 5),
                    9,
                )),
                _ => None,
            };
            (2, offset)
        };
        if offset.is_some_and(|o| at as i64 + o == end as i64) {
            return None;
        }
        at += len;
    }
    (at == end).then_some(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: u64 = 0x10070;

    #[test]
    fn hello_needs_no_alignment_and_ends_with_a_droppable_trap() {
        // lea rsi,[rip-0x50]; push 1; pop rax; push 14; pop rdx; mov rdi,rax; syscall;
        // push 60; pop rax; xor edi,edi; syscall; ud2
        let code = [
            0x48, 0x8d, 0x35, 0xb0, 0xff, 0xff, 0xff, 0x6a, 0x01, 0x58, 0x6a, 0x0e, 0x5a, 0x48,
            0x89, 0xc7, 0x0f, 0x05, 0x6a, 0x3c, 0x58, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b,
        ];
        assert!(alignment_free(&code, IP));
        assert_eq!(trailing_trap(&code, IP), Some(2));
    }

    #[test]
    fn i686_hello_reads_its_address_without_needing_alignment() {
        // push ebx; sub esp, 8; call 1f; 1: pop eax; add eax, 0x2e; lea ecx, [eax - 14];
        // push 4; pop eax; int 0x80
        let code = [
            0x53, 0x83, 0xec, 0x08, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x58, 0x81, 0xc0, 0x2e, 0x00,
            0x00, 0x00, 0x8d, 0x88, 0xf2, 0xff, 0xff, 0xff, 0x6a, 0x04, 0x58, 0xcd, 0x80,
        ];
        assert!(alignment_free_in(32, &code, IP));
        // a call elsewhere needs the alignment
        let mut other = code;
        other[5] = 0x10;
        assert!(!alignment_free_in(32, &other, IP));
    }

    #[test]
    fn an_aarch64_trap_is_found_unless_a_branch_targets_it() {
        // aarch64 hello's end: mov w8, #93; mov x0, xzr; svc #0; brk #1
        let words: [u32; 4] = [0x52800ba8, 0xaa1f03e0, 0xd4000001, A64_TRAP];
        let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(trailing_trap_a64(&code), Some(4));
        // cbz x0, +12 (to the trap), and b.ne +12
        for branch in [0xb4000060u32, 0x54000061] {
            let words = [branch, 0xaa1f03e0, 0xd4000001, A64_TRAP];
            let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(trailing_trap_a64(&code), None, "{branch:#x}");
        }
        // b -4 (backwards, elsewhere) leaves it
        let words = [0x52800ba8, 0x17ffffff, A64_TRAP];
        let code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(trailing_trap_a64(&code), Some(4));
    }

    #[test]
    fn a_riscv_trap_is_found_unless_a_branch_targets_it() {
        // riscv64 hello's end: li a7, 93 (4 bytes); li a0, 0 (c.li); ecall; c.unimp
        let code = [
            0x93, 0x08, 0xd0, 0x05, 0x01, 0x45, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(trailing_trap_rv64(&code), Some(2));
        // c.beqz a0, +6 (from offset 4: to the trap at 10)
        let mut branch = code;
        branch[4..6].copy_from_slice(&0xc119u16.to_le_bytes());
        assert_eq!(trailing_trap_rv64(&branch), None);
        // beq a0, zero, +6 (from offset 4? no: a 4-byte branch first, to 10 - 0 = 10)
        let code = [
            0x63, 0x05, 0x05, 0x00, 0x01, 0x45, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(trailing_trap_rv64(&code), None);
        // j +0 style c.j elsewhere keeps it: c.j -4 at offset 4
        let mut back = [
            0x93, 0x08, 0xd0, 0x05, 0x01, 0x45, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        back[4..6].copy_from_slice(&0xbff5u16.to_le_bytes());
        assert_eq!(trailing_trap_rv64(&back), Some(2));
    }

    #[test]
    fn a_32_bit_trap_is_found_in_32_bit_code() {
        // i686 hello's end: mov eax, ebx; xor ebx, ebx; int 0x80; ud2 (0x43 is `inc ebx`
        // here, a REX prefix in 64-bit code)
        let code = [0x43, 0x89, 0xd8, 0x31, 0xdb, 0xcd, 0x80, 0x0f, 0x0b];
        assert_eq!(trailing_trap_in(32, &code, IP), Some(2));
        // a jump back to the trap keeps it
        let code = [0x74, 0x02, 0xcd, 0x80, 0x0f, 0x0b];
        assert_eq!(trailing_trap_in(32, &code, IP), None);
    }

    #[test]
    fn calls_and_stack_memory_need_alignment() {
        // call +0; ret
        assert!(!alignment_free(&[0xe8, 0, 0, 0, 0, 0xc3], IP));
        // movaps [rsp+0x10], xmm0
        assert!(!alignment_free(&[0x0f, 0x29, 0x44, 0x24, 0x10], IP));
        // jmp to far away
        assert!(!alignment_free(&[0xe9, 0x00, 0x10, 0x00, 0x00], IP));
        // bytes that do not decode
        assert!(!alignment_free(&[0x0f, 0xff], IP));
    }

    #[test]
    fn saves_nothing_reads_are_found() {
        // push rbp; push r14; push rbx; mov rax,[rbx]; push 1; pop rdi; call +0; jmp -2 (itself)
        let code = [
            0x55, 0x41, 0x56, 0x53, 0x48, 0x8b, 0x03, 0x6a, 0x01, 0x5f, 0xe8, 0, 0, 0, 0, 0xeb,
            0xfe,
        ];
        let saves = unread_saves(&code, IP);
        assert_eq!(saves, Some(UnreadSaves { len: 4, count: 3 }));
        // push r14; push rbx; push rax (alignment); mov rax,[rbx]; call +0; jmp -2 (itself)
        let aligned = [
            0x41, 0x56, 0x53, 0x50, 0x48, 0x8b, 0x03, 0xe8, 0, 0, 0, 0, 0xeb, 0xfe,
        ];
        assert_eq!(
            unread_saves(&aligned, IP),
            Some(UnreadSaves { len: 4, count: 3 })
        );
        // push rbx; sub rsp,0x48; mov [rsp+8],rax: inside the frame
        let framed = [0x53, 0x48, 0x83, 0xec, 0x48, 0x48, 0x89, 0x44, 0x24, 0x08];
        assert_eq!(
            unread_saves(&framed, IP),
            Some(UnreadSaves { len: 1, count: 1 })
        );
    }

    #[test]
    fn saves_that_may_be_read_stay() {
        // push rbx; pop rbx (a restore)
        assert_eq!(unread_saves(&[0x53, 0x5b], IP), None);
        // push rbx; ret
        assert_eq!(unread_saves(&[0x53, 0xc3], IP), None);
        // push rbx; mov rax,[rsp] (the saved value)
        assert_eq!(unread_saves(&[0x53, 0x48, 0x8b, 0x04, 0x24], IP), None);
        // push rbx; mov rdi,rsp (the stack pointer escapes)
        assert_eq!(unread_saves(&[0x53, 0x48, 0x89, 0xe7], IP), None);
        // push rbx; jmp far away
        assert_eq!(unread_saves(&[0x53, 0xe9, 0, 0x10, 0, 0], IP), None);
        // push rbx; push rax; pop rcx (the pushed value is read back)
        assert_eq!(unread_saves(&[0x53, 0x50, 0x59], IP), None);
        // mov rax,rbx: no pushes at all
        assert_eq!(unread_saves(&[0x48, 0x89, 0xd8], IP), None);
    }

    #[test]
    fn a_targeted_trap_stays() {
        // je +0 (to the ud2 right after it); ud2
        assert_eq!(trailing_trap(&[0x74, 0x00, 0x0f, 0x0b], IP), None);
        // ret: no trap
        assert_eq!(trailing_trap(&[0xc3], IP), None);
    }
}
