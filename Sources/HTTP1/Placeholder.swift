// HTTP1 module placeholder
