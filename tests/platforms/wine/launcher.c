/* Test harness only: a stand-in for the npm launcher on Windows. It prints its Windows
 * process id (what the server gets in IBANFORGE_MCP_LAUNCHER_PID) and waits to be killed. */
#include <stdio.h>
#include <windows.h>

int main(void) {
    printf("%lu\n", GetCurrentProcessId());
    fflush(stdout);
    Sleep(INFINITE);
    return 0;
}
