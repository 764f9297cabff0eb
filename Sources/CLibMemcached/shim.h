#include <libmemcached/memcached.h>
#include <stdlib.h>

/* memcached_get returns a buffer from malloc; release it through the C allocator it came from. */
static inline void findash_memcached_free_value(char *value) { free(value); }
