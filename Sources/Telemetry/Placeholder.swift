// Telemetry module placeholder
