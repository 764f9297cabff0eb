// Reactor module placeholder
