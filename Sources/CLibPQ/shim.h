#include <libpq-fe.h>

/* Swift does not import character-literal macros such as PG_DIAG_SQLSTATE ('C'). */
static inline int findash_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
