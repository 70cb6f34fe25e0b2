export {
  CollectionAccessError,
  UnknownCollectionError,
  collectionPermission,
  requireAccess,
  type CollectionPermission,
} from './access';
export { IMPLICIT_COLLECTION_PREFIX, collectionConfigs, principalOrgs, type CollectionRuntime } from './collections';
export { DisseminationError, disseminate, pvtShareOf, type MemberPeer } from './dissemination';
export { selectCollections } from './select';
export { TransientStore } from './transient-store';
