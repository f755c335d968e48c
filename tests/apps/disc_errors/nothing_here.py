VALUE = 42


def helper():
    return VALUE
