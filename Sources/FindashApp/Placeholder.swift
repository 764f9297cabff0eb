// FindashApp module placeholder
