"""The VK front door: a community bot over the Bots Long Poll API or the Callback API (vkbottle's API
client underneath), rendering, delivery with VK's errors mapped once, and the relay's VkSender."""
