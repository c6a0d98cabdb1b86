/**
 * The method names of the core's dispatcher, as the JS API calls them. They
 * mirror `core/api/methods.go` (checked by the contract test against
 * `js/src/generated/contract.json`).
 */
export const Methods = {
  startClient: 'startClient',
  registerUser: 'registerUser',
  handleRegistrationCallback: 'handleRegistrationCallback',
  cancelBrowserRegistration: 'cancelBrowserRegistration',
  submitPin: 'submitPin',
  cancelPinCreation: 'cancelPinCreation',
  cancelPinAuthentication: 'cancelPinAuthentication',
  authenticateUser: 'authenticateUser',
  logout: 'logout',
  deregisterUser: 'deregisterUser',
  getUserProfiles: 'getUserProfiles',
  getAuthenticatedUserProfile: 'getAuthenticatedUserProfile',
  enrollMobileAuthentication: 'enrollMobileAuthentication',
  isUserEnrolledForMobileAuth: 'isUserEnrolledForMobileAuth',
  handleMobileAuthWithOtp: 'handleMobileAuthWithOtp',
  acceptMobileAuthConfirmation: 'acceptMobileAuthConfirmation',
  denyMobileAuthConfirmation: 'denyMobileAuthConfirmation',
  getAccessToken: 'getAccessToken',
  resourceRequest: 'resourceRequest',
  ping: 'ping',
  getVersion: 'getVersion',
} as const;

/** A method name of the core. */
export type MethodName = (typeof Methods)[keyof typeof Methods];
