/* test-langid.c: language identification (text/langid.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"
#include "common/banned.h"

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(lang_name(LANG_UZ_LATN), "uz-Latn");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
