import EntityModel
import EntityQuery
import EntityStore
