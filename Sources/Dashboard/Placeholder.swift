// Dashboard module placeholder
