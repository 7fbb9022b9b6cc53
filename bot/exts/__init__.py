"""One module per feature; each `setup(bot)` registers its commands or listeners on the bot.

Extensions stay thin: parse the input, call the core, format with `bot.replies`, reply.
"""
