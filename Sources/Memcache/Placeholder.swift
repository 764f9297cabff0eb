// Memcache module placeholder
