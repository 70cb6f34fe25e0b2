export {
  CollectionAccessError,
  UnknownCollectionError,
  collectionPermission,
  requireAccess,
  type CollectionPermission,
} from './access';
export { DisseminationError, disseminate, pvtShareOf, type MemberPeer } from './dissemination';
export { selectCollections } from './select';
export { TransientStore } from './transient-store';
