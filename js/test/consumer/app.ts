// Compiled by scripts/test-js.sh as a CONSUMER of the packed package (installed
// from the npm pack tarball into a scratch project, without react-native):
// the shipped type declarations must let an app written for the Onegini React
// Native SDK compile under strict, with the import path changed.
import OneginiSdk, { Events, OneginiError, Types } from '@openmobileauth/react-native-sdk';
import { useNodeTransport } from '@openmobileauth/react-native-sdk/node';

export async function onboard(redirect: (url: string) => Promise<string>, pin: string): Promise<Types.Profile> {
  await OneginiSdk.startClient({ serverUrl: 'https://tokens.example.com' });
  const urlSub = OneginiSdk.addEventListener(Events.SdkNotification.Registration, (event) => {
    void redirect(event.url).then((uri) => OneginiSdk.handleRegistrationCallback(uri));
  });
  const pinSub = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (event: Events.PinCreateEvent) => {
    if (event.action === Events.PinCreate.Open) void OneginiSdk.submitPin(Events.PinFlow.Create, pin);
  });
  try {
    const auth: Types.AuthData = await OneginiSdk.registerUser(null, ['openid']);
    return auth.userProfile;
  } finally {
    urlSub.remove();
    pinSub.remove();
  }
}

export async function confirm(otp: string, accept: (r: Events.MobileAuthenticationRequest) => boolean): Promise<boolean> {
  const sub = OneginiSdk.addEventListener(Events.SdkNotification.MobileAuthOtp, (event) => {
    if (event.action === Events.MobileAuthOtp.StartAuthentication) {
      void (accept(event.mobileAuthenticationRequest)
        ? OneginiSdk.acceptMobileAuthConfirmation()
        : OneginiSdk.denyMobileAuthConfirmation());
    }
  });
  try {
    await OneginiSdk.handleMobileAuthWithOtp(otp);
    return true;
  } catch (e) {
    if (e instanceof OneginiError && e.numericCode === OneginiError.Codes.ACTION_CANCELED) return false;
    throw e;
  } finally {
    sub.remove();
  }
}

export async function tool(binary: string): Promise<number> {
  const host = await useNodeTransport({ binary });
  const profiles: Types.Profile[] = await OneginiSdk.getUserProfiles();
  await host.close();
  return profiles.length;
}
