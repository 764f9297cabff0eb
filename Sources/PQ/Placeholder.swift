// PQ module placeholder
