/* Plane operations (util/planes.c): the 16-bit rotation the HDR rendition uses turns a
 * picture exactly as the 8-bit one does, for every angle and odd sizes; other angles are
 * refused. */
#include <stdint.h>
#include <string.h>

#include "planes.h"
#include "t.h"

static void test_rotate16(void)
{
    static const int sizes[][2] = {{1, 1}, {3, 2}, {4, 5}, {7, 3}};
    static const int degs[] = {90, 180, 270};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
        for (size_t d = 0; d < sizeof(degs) / sizeof(degs[0]); d++) {
            int w = sizes[s][0], h = sizes[s][1], deg = degs[d];
            int ow = deg == 180 ? w : h, oh = deg == 180 ? h : w;
            uint8_t src8[64], dst8[64];
            uint16_t src16[64], dst16[64];
            memset(dst8, 0, sizeof(dst8));
            memset(dst16, 0, sizeof(dst16));
            for (int i = 0; i < w * h; i++) {
                src8[i] = (uint8_t)(i + 1);
                src16[i] = (uint16_t)(1000 + i); /* 10-bit values */
            }
            T_EQ_INT(sobre_plane_rotate(src8, w, w, h, dst8, ow, deg), 0);
            T_EQ_INT(sobre_plane_rotate16((const uint8_t *)src16, 2 * w, w, h, (uint8_t *)dst16,
                                          2 * ow, deg),
                     0);
            for (int i = 0; i < ow * oh; i++)
                T_CHECK(dst16[i] == 1000 + dst8[i] - 1, "%dx%d %d: sample %d is %d, want %d", w, h,
                        deg, i, dst16[i], 1000 + dst8[i] - 1);
        }
    {
        uint16_t a[4] = {1, 2, 3, 4}, b[4];
        T_EQ_INT(sobre_plane_rotate16((const uint8_t *)a, 4, 2, 2, (uint8_t *)b, 4, 45), -1);
        T_EQ_INT(sobre_plane_rotate16((const uint8_t *)a, 4, 2, 2, (uint8_t *)b, 4, 0), -1);
    }
}

int main(void)
{
    test_rotate16();
    return t_done();
}
