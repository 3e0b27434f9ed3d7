"""A plugin found through the pk.plugins entry-point group."""


class Basic:
    name = "basic"
