/* Test harness only, never shipped: Wine 8 (Debian 12's) has no bcryptprimitives.dll, from
 * which Rust's std (1.78+) takes randomness through ProcessPrng, so no Rust Windows binary
 * even loads under it. Windows 8 and later ship the DLL, so the release binary needs nothing
 * like this; the shim only lets the Windows build run here. ProcessPrng is answered by
 * advapi32's RtlGenRandom (exported as SystemFunction036), the source std used before. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
