"""The Kafka side: the faust app, topics, wire records and the agents that consume them."""
