print("entityhub")
