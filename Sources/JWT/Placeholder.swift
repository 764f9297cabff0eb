// JWT module placeholder
