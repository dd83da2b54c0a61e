/* Linked from every object of every pure module and nothing of FFmpeg: when a pure
 * module calls an FFmpeg function, this program does not link and the build fails
 * (tests/CMakeLists.txt). Run by CTest, it only says so. */
#include <stdio.h>

int main(void)
{
    puts("every pure module's objects link without the FFmpeg libraries");
    return 0;
}
