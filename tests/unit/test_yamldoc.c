/* YAML document reader: parsing errors and every typed getter's accept/reject cases. */
#include <stdlib.h>

#include "t.h"
#include "yamldoc.h"

static SobreYaml *load(const char *text, SobreError *err)
{
    SobreYaml *y = NULL;
    sobre_error_clear(err);
    sobre_yaml_load_buffer(&y, "t.yaml", text, strlen(text), err);
    return y;
}

static void test_parse_errors(void)
{
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"", "t.yaml: the file is empty"},
        {"a: [1, 2\n", "t.yaml:"},
        {"a: b\n  c: d\n", "not valid YAML"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SobreError err;
        SobreYaml *y = load(bad[i].text, &err);
        T_CHECK(y == NULL, "case %zu should fail", i);
        T_EQ_INT(err.code, SOBRE_E_PARSE);
        T_CONTAINS(err.detail, bad[i].msg);
    }
}

static void test_getters(void)
{
    SobreError err;
    const char *text = "name: demo\n"
                       "crf: 36\n"
                       "ratio: 0.5\n"
                       "on: yes\n"
                       "codec: vp9\n"
                       "bad: abc\n"
                       "list: [1, 2, 3]\n";
    SobreYaml *y = load(text, &err);
    int root = sobre_yaml_root(y);
    double d = 0;
    long l = 0;
    int b = 0, e = -1;
    char s[8];
    static const char *const codecs[] = {"vp9", "av1", NULL};
    static const char *const keys[] = {"name", "crf", "ratio", "on", "codec", "bad", "list", NULL};
    static const char *const few[] = {"name", NULL};

    T_CHECK(y != NULL, "%s", err.detail);
    T_EQ_INT(sobre_yaml_type(y, root), SOBRE_YAML_MAP);
    T_EQ_INT(sobre_yaml_int(y, root, "crf", 1, 0, 63, &l, &err), 0);
    T_EQ_INT(l, 36);
    T_EQ_INT(sobre_yaml_double(y, root, "ratio", 1, 0, 1, &d, &err), 0);
    T_NEAR(d, 0.5, 1e-12);
    T_EQ_INT(sobre_yaml_bool(y, root, "on", 1, &b, &err), 0);
    T_EQ_INT(b, 1);
    T_EQ_INT(sobre_yaml_enum(y, root, "codec", 1, codecs, &e, &err), 0);
    T_EQ_INT(e, 0);
    T_EQ_INT(sobre_yaml_string(y, root, "name", 1, s, sizeof(s), &err), 0);
    T_EQ_STR(s, "demo");
    T_EQ_INT(sobre_yaml_len(y, sobre_yaml_get(y, root, "list")), 3);
    T_EQ_INT(sobre_yaml_check_keys(y, root, keys, &err), 0);

    /* rejections name the file, the line and what is allowed */
    T_EQ_INT(sobre_yaml_int(y, root, "crf", 1, 0, 30, &l, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "t.yaml:2: field 'crf' must be a whole number from 0 to 30, got '36'");
    T_EQ_INT(sobre_yaml_double(y, root, "bad", 1, 0, 1, &d, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "t.yaml:6:");
    T_EQ_INT(sobre_yaml_int(y, root, "ratio", 1, 0, 63, &l, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_yaml_bool(y, root, "bad", 1, &b, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_yaml_enum(y, root, "bad", 1, codecs, &e, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "one of vp9, av1");
    T_EQ_INT(sobre_yaml_string(y, root, "bad", 1, s, 3, &err), SOBRE_E_INVALID);
    T_EQ_INT(sobre_yaml_int(y, root, "missing", 1, 0, 1, &l, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "missing field 'missing'");
    l = 42;
    T_EQ_INT(sobre_yaml_int(y, root, "missing", 0, 0, 1, &l, &err), 0);
    T_EQ_INT(l, 42);
    T_EQ_INT(sobre_yaml_int(y, root, "list", 1, 0, 1, &l, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "single value");
    T_EQ_INT(sobre_yaml_check_keys(y, root, few, &err), SOBRE_E_INVALID);
    T_CONTAINS(err.detail, "t.yaml:2: unknown field 'crf'; allowed: name");
    sobre_yaml_free(&y);
    T_CHECK(y == NULL, "free must NULL the pointer");
}

static void test_strerror(void)
{
    char buf[64];
    T_EQ_STR(sobre_strerror(0, buf, sizeof(buf)), "success");
    T_EQ_STR(sobre_strerror(SOBRE_E_NOVIDEO, buf, sizeof(buf)), "no video stream");
    T_CHECK(strlen(sobre_strerror(-2, buf, sizeof(buf))) > 0, "errno text");
    T_CHECK(sobre_version_int() > 0, "version");
}

int main(void)
{
    test_parse_errors();
    test_getters();
    test_strerror();
    return t_done();
}
